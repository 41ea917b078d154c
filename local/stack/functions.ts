/**
 * The template's functions' handlers, imported and called in this process: each import a
 * fresh instance (its own module state and cold start) under the function's environment.
 */
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { functionId } from '../cloud/functions.js';
import type { FunctionModel, TemplateModel } from '../template/index.js';

export type LambdaHandler = (event: unknown, context?: Context) => Promise<unknown>;

/** Variables of this process that stay visible while a function module loads (a test runner's among them). */
const KEEP = /^(PATH|HOME|TMPDIR|TMP|TEMP|LANG|TZ|NODE_ENV|TEST|VITEST.*|AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)$/;

let instances = 0;
/** Imports run one at a time: process.env is global, two loading functions must not see each other's. */
let importing: Promise<unknown> = Promise.resolve();

/** The variables Lambda's Node.js runtime sets for a function. */
export function lambdaRuntimeEnv(fn: FunctionModel, region: string): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime ?? 'nodejs'}`,
    _HANDLER: fn.handlerSpec,
  };
}

/** The environment a function sees: the runtime's variables, the template's, then the overrides. */
export function functionEnv(model: TemplateModel, fn: FunctionModel, overrides: Record<string, string> = {}): Record<string, string> {
  return { ...lambdaRuntimeEnv(fn, model.region), ...fn.environment, ...overrides };
}

/** Replaces process.env by `vars` (plus the few process variables in KEEP); returns the undo. */
export function swapEnv(vars: Record<string, string>): () => void {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (!KEEP.test(key)) delete process.env[key];
  Object.assign(process.env, vars);
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}

/** Sets `vars` in process.env (undefined: removes it), keeping the rest; returns the undo. */
export function pinEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

export function findFunction(model: TemplateModel, name: string): FunctionModel {
  const id = functionId(model, name);
  const fn = model.functions.find((item) => item.logicalId === id);
  if (!fn) throw new Error(`no function ${JSON.stringify(name)} in the template (have: ${model.functions.map((item) => item.logicalId).join(', ')})`);
  return fn;
}

/**
 * Imports a function's entry module as a fresh instance (its own module-level state and
 * cold start) while process.env is exactly the function's environment plus `overrides`,
 * then restores process.env. `name` is a logical id (`PublishFunction`) or the code
 * folder's name (`publish`).
 *
 * What the module reads from process.env at import time is its own. The AWS SDK reads
 * credentials, AWS_REGION and AWS_ENDPOINT_URL_* only at the first request, so those must
 * also be in process.env while handlers run (startStackOn pins them until the stack stops).
 */
export async function importHandler(model: TemplateModel, name: string, overrides: Record<string, string> = {}): Promise<LambdaHandler> {
  const fn = findFunction(model, name);
  if (!fn.entry) throw new Error(`${fn.logicalId} has no local entry file (inline or non-SAM code)`);
  instances += 1;
  const url = `${pathToFileURL(fn.entry).href}?instance=${instances}`;
  const env = functionEnv(model, fn, overrides);
  const load = importing.catch(() => undefined).then(async () => {
    const restore = swapEnv(env);
    try {
      return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
    } finally {
      restore();
    }
  });
  importing = load;
  const module = await load;
  const handler = module[fn.handler];
  if (typeof handler !== 'function') throw new Error(`${fn.entry} does not export a function named ${fn.handler}`);
  return async (event, context = lambdaContext(fn)) => (handler as (event: unknown, context: Context) => unknown)(event, context);
}

/** A Lambda context for one invocation of `fn` (its deadline is now + the function's Timeout). */
export function lambdaContext(fn: FunctionModel): Context {
  const deadline = Date.now() + fn.timeout * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
