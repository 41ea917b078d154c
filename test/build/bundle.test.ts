/**
 * The deployable artifacts run on plain Node, without SAM: build the layer with
 * layers/core/build.mjs, bundle every function of template.yaml with esbuild using the
 * template's own BuildProperties (what `sam build` does), then load each bundle in a child
 * `node` the way Lambda does: NODE_PATH at the layer's nodejs/node_modules, the function's
 * environment from the template, and `handler` must be a function.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Format, type Platform } from 'esbuild';
import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

// ------------------------------------------------------------ template.yaml, as plain data

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

/** YAML -> CloudFormation JSON: `!Ref x` becomes {Ref: x}, `!Sub s` {"Fn::Sub": s}, ... */
function toCfn(node: unknown): Json {
  let value: Json;
  if (isScalar(node)) value = (node.value ?? null) as Json;
  else if (isSeq(node)) value = node.items.map(toCfn);
  else if (isMap(node)) {
    value = {};
    for (const pair of node.items) value[String(isScalar(pair.key) ? pair.key.value : pair.key)] = toCfn(pair.value);
  } else if (isAlias(node)) throw new Error('template.yaml must not use YAML aliases (CloudFormation does not support them)');
  else return null;
  const tag = (node as { tag?: string }).tag;
  if (!tag?.startsWith('!')) return value;
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') return { 'Fn::GetAtt': value.split('.') };
  return { [`Fn::${name}`]: value };
}

function loadTemplate(): Obj {
  const doc = parseDocument(readFileSync(path.join(root, 'template.yaml'), 'utf8'), { logLevel: 'error' });
  if (doc.errors.length > 0) throw doc.errors[0];
  return toCfn(doc.contents) as Obj;
}

const template = loadTemplate();
const resources = template.Resources as Record<string, Obj>;
const parameters = template.Parameters as Record<string, Obj>;
const globals = ((template.Globals as Obj | undefined)?.Function ?? {}) as Obj;

/** Parameter values for the load test: the defaults, plus a key so AuthMode jwt is complete. */
const parameterValues: Record<string, string> = {
  ...Object.fromEntries(Object.entries(parameters).map(([name, p]) => [name, String(p.Default ?? '')])),
  JwtJwksUrl: 'https://issuer.example.com/.well-known/jwks.json',
  JwtIssuer: 'https://issuer.example.com/',
};

const pseudo: Record<string, string> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'roomcast',
};

/** What `Ref name` would be once deployed (made-up names and URLs of the right shape). */
function ref(name: string): string {
  if (name in pseudo) return pseudo[name]!;
  if (name in parameterValues) return parameterValues[name]!;
  const type = resources[name]?.Type;
  if (type === 'AWS::SQS::Queue') return `https://sqs.us-east-1.amazonaws.com/123456789012/roomcast-${name}`;
  if (type === 'AWS::ApiGatewayV2::Api' || type === 'AWS::Serverless::WebSocketApi' || type === 'AWS::Serverless::HttpApi') return 'a1b2c3d4e5';
  if (type) return `roomcast-${name}`;
  throw new Error(`template.yaml: Ref to unknown ${name}`);
}

/** A condition of the template with the load test's parameter values (Equals, Not, And, Or). */
function condition(node: Json | undefined): boolean {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    if (typeof node.Condition === 'string') return condition((template.Conditions as Obj | undefined)?.[node.Condition]);
    const args = Object.values(node)[0];
    const list = Array.isArray(args) ? args : [];
    if ('Fn::Equals' in node) return resolveValue(list[0] ?? '') === resolveValue(list[1] ?? '');
    if ('Fn::Not' in node) return !condition(list[0]);
    if ('Fn::And' in node) return list.every((item) => condition(item));
    if ('Fn::Or' in node) return list.some((item) => condition(item));
  }
  throw new Error(`template.yaml: cannot evaluate the condition ${JSON.stringify(node)} for the load test`);
}

function resolveValue(value: Json): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (typeof value.Ref === 'string') return ref(value.Ref);
    const choice = value['Fn::If'];
    if (Array.isArray(choice) && typeof choice[0] === 'string') return resolveValue((condition({ Condition: choice[0] }) ? choice[1] : choice[2]) ?? null);
    const sub = value['Fn::Sub'];
    if (typeof sub === 'string') return sub.replace(/\$\{([^}!]+)\}/g, (_, name: string) => ref(name.split('.')[0]!));
  }
  throw new Error(`template.yaml: cannot resolve ${JSON.stringify(value)} for the load test`);
}

interface FunctionSpec {
  logicalId: string;
  codeUri: string;
  handler: string;
  buildMethod: Json;
  buildProperties: Obj;
  environment: Record<string, string>;
}

function templateFunctions(): FunctionSpec[] {
  const globalEnv = ((globals.Environment as Obj | undefined)?.Variables ?? {}) as Obj;
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Serverless::Function')
    .map(([logicalId, resource]) => {
      const properties = resource.Properties as Obj;
      const metadata = (resource.Metadata ?? {}) as Obj;
      const variables = { ...globalEnv, ...(((properties.Environment as Obj | undefined)?.Variables ?? {}) as Obj) };
      return {
        logicalId,
        codeUri: String(properties.CodeUri),
        handler: String(properties.Handler ?? globals.Handler),
        buildMethod: metadata.BuildMethod ?? null,
        buildProperties: (metadata.BuildProperties ?? {}) as Obj,
        environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolveValue(value)])),
      };
    });
}

const functions = templateFunctions();

// ------------------------------------------------------------ the artifacts

let work = '';
let layerModules = '';

beforeAll(async () => {
  // Outside the repository: otherwise require('@roomcast/core') would find the workspace's
  // node_modules/@roomcast/core (the TypeScript sources) before NODE_PATH.
  work = await mkdtemp(path.join(tmpdir(), 'roomcast-bundle-'));
  await run(process.execPath, [path.join(root, 'layers/core/build.mjs'), path.join(work, 'layer')], { cwd: root });
  layerModules = path.join(work, 'layer', 'nodejs', 'node_modules');
}, 180_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('template.yaml functions', () => {
  it('are all there, each with a handler, and share the core only through the layer', () => {
    expect(functions.map((fn) => fn.codeUri).sort()).toEqual(
      ['authorize', 'canary', 'connect', 'default', 'deliver', 'disconnect', 'history', 'occupancy', 'plan', 'publish', 'refresh', 'room', 'stream', 'subscribe', 'sweep', 'unsubscribe'].map((name) => `functions/${name}/`),
    );
    for (const fn of functions) {
      expect(fn.handler, fn.logicalId).toBe('index.handler');
      expect(fn.buildMethod, fn.logicalId).toBe('esbuild');
      expect(fn.buildProperties.Format, fn.logicalId).toBe('cjs');
      expect(fn.buildProperties.External, fn.logicalId).toEqual(expect.arrayContaining(['@roomcast/core', '@aws-sdk/*']));
      expect(fn.buildProperties.EntryPoints, fn.logicalId).toEqual(['index.ts']);
    }
  });
});

describe('CoreLayer (layers/core/build.mjs)', () => {
  it('is one CommonJS package at nodejs/node_modules/@roomcast/core with a source map', async () => {
    const packageDir = path.join(layerModules, '@roomcast', 'core');
    expect(JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8'))).toEqual({ name: '@roomcast/core', main: 'index.js' });
    expect(existsSync(path.join(packageDir, 'index.js.map'))).toBe(true);
    const source = await readFile(path.join(packageDir, 'index.js'), 'utf8');
    expect(source.startsWith('"use strict";')).toBe(true);
  });
});

describe.each(functions.map((fn) => [fn.logicalId, fn] as const))('%s bundle', (_, fn) => {
  it('loads on Node with the layer on NODE_PATH and exports handler', async () => {
    const props = fn.buildProperties;
    const outdir = path.join(work, 'functions', fn.logicalId);
    const codeDir = path.join(root, fn.codeUri);
    // The same options `sam build` passes to esbuild (it always adds --bundle and --platform=node).
    await build({
      entryPoints: (props.EntryPoints as string[]).map((entry) => path.join(codeDir, entry)),
      outdir,
      bundle: true,
      platform: (props.Platform ?? 'node') as Platform,
      format: (props.Format ?? 'cjs') as Format,
      target: String(props.Target ?? 'es2020'),
      sourcemap: Boolean(props.Sourcemap ?? false),
      minify: Boolean(props.Minify ?? true),
      external: (props.External ?? []) as string[],
      logLevel: 'silent',
    });
    // Lambda's /var/task has no package.json above it: the bundle is CommonJS.
    await writeFile(path.join(outdir, 'package.json'), '{"type":"commonjs"}\n');

    const [file, exportName] = fn.handler.split('.') as [string, string];
    const probe = [
      'const path = require("node:path");',
      'const mod = require(path.resolve(process.argv[1]));',
      'const core = require.resolve("@roomcast/core", { paths: [path.dirname(path.resolve(process.argv[1]))] });',
      `process.stdout.write(JSON.stringify({ handler: typeof mod[${JSON.stringify(exportName)}], core }));`,
      'process.exit(0);',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['-e', probe, path.join(outdir, `${file}.js`)], {
      cwd: outdir,
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_PATH: layerModules,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...fn.environment,
      },
    });
    const result = JSON.parse(stdout) as { handler: string; core: string };
    expect(result.core.startsWith(layerModules + path.sep)).toBe(true);
    expect(result.handler).toBe('function');
  }, 60_000);
});
