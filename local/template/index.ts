import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { asObject, TemplateContext } from './context.js';
import { readFunctions } from './functions.js';
import { readHttpApis } from './http-api.js';
import { readQueues } from './queues.js';
import { checkRules } from './rules.js';
import { readTables } from './tables.js';
import type { Json, JsonObject, ReadOptions, TemplateModel } from './types.js';
import { unsupportedResourceWarnings } from './warnings.js';
import { readWebSocketApis } from './websocket.js';
import { parseTemplateText } from './yaml.js';

export { parseParameterOverrides } from './parameters.js';
export { localId } from './identity.js';
export { parseTemplateText } from './yaml.js';
export * from './types.js';

/** Reads a template (text or already parsed) into the model the local cloud runs. */
export function readTemplate(template: string | JsonObject, options: ReadOptions = {}): TemplateModel {
  const parsed = typeof template === 'string' ? parseTemplateText(template) : template;
  const ctx = new TemplateContext(parsed, options);
  const conditions = ctx.conditions();
  const tables = readTables(ctx);
  const queues = readQueues(ctx);
  const functions = readFunctions(ctx, options.baseDir ?? process.cwd());
  const websocketApis = readWebSocketApis(ctx);
  const httpApis = readHttpApis(ctx, functions);
  const outputs = readOutputs(ctx);
  const resources: Record<string, string> = {};
  for (const { logicalId, type } of ctx.resources.values()) resources[logicalId] = type;
  return {
    stackName: ctx.stackName,
    region: ctx.region,
    accountId: ctx.accountId,
    parameters: ctx.parameters,
    conditions,
    resources,
    dropped: ctx.dropped,
    tables,
    queues,
    functions,
    websocketApis,
    httpApis,
    outputs,
    warnings: [...checkRules(ctx), ...unsupportedResourceWarnings(ctx), ...new Set(ctx.warnings)],
  };
}

/** Reads a template file; `CodeUri`s are relative to its folder. */
export function readTemplateFile(file: string, options: ReadOptions = {}): TemplateModel {
  const text = readFileSync(file, 'utf8');
  return readTemplate(parseTemplateText(text, file), { baseDir: dirname(resolve(file)), ...options });
}

function readOutputs(ctx: TemplateContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(asObject(ctx.template.Outputs, 'Outputs'))) {
    const output = asObject(raw, `Outputs.${name}`);
    if (typeof output.Condition === 'string' && !ctx.condition(output.Condition, `Outputs.${name}.Condition`)) continue;
    const value: Json | undefined = ctx.resolve(output.Value, `Outputs.${name}.Value`);
    if (value === undefined) continue;
    out[name] = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
  return out;
}
