/** The template's functions as the local Lambda runtime runs them. */
import type { FunctionSpec } from '../lambda/index.js';
import type { FunctionModel, TemplateModel } from '../template/index.js';
import { withLocalEndpoints } from './endpoints.js';

export interface FunctionPlan {
  specs: FunctionSpec[];
  /** One line per function that cannot run locally. */
  warnings: string[];
}

/**
 * Each function's own environment as the template resolves it, with the local URLs in
 * place of the AWS ones, then `extraEnv[logicalId]`.
 */
export function functionPlan(model: TemplateModel, endpoints: Map<string, string>, extraEnv: Record<string, Record<string, string>>): FunctionPlan {
  const specs: FunctionSpec[] = [];
  const warnings: string[] = [];
  for (const fn of model.functions) {
    if (!fn.entry) {
      warnings.push(`${fn.logicalId}: no local source (inline code or a non-file CodeUri): not run locally`);
      continue;
    }
    specs.push(specOf(fn, fn.entry, { ...withLocalEndpoints(fn.environment, endpoints), ...extraEnv[fn.logicalId] }));
  }
  return { specs, warnings };
}

function specOf(fn: FunctionModel, entry: string, environment: Record<string, string>): FunctionSpec {
  return {
    id: fn.logicalId,
    entry,
    handler: fn.handler,
    environment,
    timeoutSeconds: fn.timeout,
    memoryMb: fn.memorySize,
    name: fn.name,
    arn: fn.arn,
    ...(fn.reservedConcurrency === undefined ? {} : { reservedConcurrency: fn.reservedConcurrency }),
  };
}

/** A function's logical id from its logical id, physical name or code folder name. */
export function functionId(model: TemplateModel, name: string): string | undefined {
  const folder = (fn: FunctionModel): string | undefined => fn.codeUri?.replace(/\/+$/, '').split('/').at(-1);
  return model.functions.find((fn) => fn.logicalId === name || fn.name === name || folder(fn) === name)?.logicalId;
}
