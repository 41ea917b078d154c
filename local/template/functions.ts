import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { asObject, type TemplateContext } from './context.js';
import { readEvents, readEventSourceMappings } from './events.js';
import { FUNCTION_TYPES } from './lookup.js';
import type { FunctionModel, Json } from './types.js';

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];

/** Every function: where its code is, its handler, settings, environment and events. */
export function readFunctions(ctx: TemplateContext, baseDir: string): FunctionModel[] {
  const mappings = readEventSourceMappings(ctx);
  return ctx.ofType(...FUNCTION_TYPES).map(({ logicalId, type, metadata }) => {
    const path = `Resources.${logicalId}`;
    const prop = (key: string): Json | undefined => ctx.prop(logicalId, key);
    const identity = ctx.identity(logicalId, path);
    const handlerSpec = String(prop('Handler') ?? 'index.handler');
    const dot = handlerSpec.lastIndexOf('.');
    const model: FunctionModel = {
      logicalId,
      name: identity.name,
      arn: String(identity.attributes.Arn),
      handler: dot >= 0 ? handlerSpec.slice(dot + 1) : 'handler',
      handlerSpec,
      timeout: Number(prop('Timeout') ?? 3),
      memorySize: Number(prop('MemorySize') ?? 128),
      environment: environment(asObject(prop('Environment'), `${path}.Properties.Environment`).Variables, ctx, path),
      events: type === 'AWS::Serverless::Function' ? readEvents(ctx, logicalId) : [],
      layers: list(prop('Layers')).map(String),
    };
    model.events.push(...(mappings.get(logicalId) ?? []));
    const runtime = prop('Runtime');
    if (typeof runtime === 'string') model.runtime = runtime;
    const reserved = prop('ReservedConcurrentExecutions');
    if (reserved !== undefined && reserved !== null) model.reservedConcurrency = Number(reserved);
    const codeUri = type === 'AWS::Serverless::Function' ? prop('CodeUri') : undefined;
    if (typeof codeUri === 'string') {
      model.codeUri = codeUri;
      const build = asObject(asObject(ctx.resolve(metadata, `${path}.Metadata`), `${path}.Metadata`).BuildProperties, `${path}.Metadata.BuildProperties`);
      const entryPoint = list(build.EntryPoints)[0];
      model.entry = typeof entryPoint === 'string' ? resolve(baseDir, codeUri, entryPoint) : handlerFile(resolve(baseDir, codeUri), handlerSpec, dot);
      if (!existsSync(model.entry)) ctx.warnings.push(`${path}: entry file ${model.entry} does not exist`);
    } else {
      const why = type === 'AWS::Lambda::Function' ? 'an AWS::Lambda::Function' : 'its code is not a local CodeUri';
      ctx.warnings.push(`${path}: not runnable locally (${why})`);
    }
    return model;
  });
}

/** `dir/app.handler` -> the first existing `dir/app.{ts,mts,js,mjs,cjs}` (else `.js`). */
function handlerFile(codeDir: string, handlerSpec: string, dot: number): string {
  const base = resolve(codeDir, dot >= 0 ? handlerSpec.slice(0, dot) : 'index');
  const found = SOURCE_EXTENSIONS.map((extension) => base + extension).find((file) => existsSync(file));
  return found ?? `${base}.js`;
}

function environment(variables: Json | undefined, ctx: TemplateContext, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(variables, `${path}.Properties.Environment.Variables`))) {
    if (value === null) continue;
    if (typeof value === 'object') {
      ctx.warnings.push(`${path}.Properties.Environment.Variables.${key}: not a string; set to its JSON`);
      out[key] = JSON.stringify(value);
    } else {
      out[key] = String(value);
    }
  }
  return out;
}

function list(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}
