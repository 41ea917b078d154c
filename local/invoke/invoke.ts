/**
 * One invocation of one function of a template, as `sam local invoke` makes it, on the local
 * cloud's Lambda runtime (bundled, timed and with the environment the local cloud gives it),
 * against a running local cloud or services started for it alone.
 */
import { randomUUID } from 'node:crypto';
import { endpointAliases, localEndpointMap, type LocalUrls } from '../cloud/endpoints.js';
import { functionId, functionPlan } from '../cloud/functions.js';
import { DEFAULT_PORT, LOCAL_CREDENTIALS, type CloudInfo } from '../cloud/options.js';
import { usesLocalSecret } from '../cloud/parameters.js';
import { cloudSettings } from '../cloud/settings.js';
import { PHASE, Teardown } from '../cloud/teardown.js';
import { createLambdaRuntime, LambdaInvokeError, RUNTIME_LOG_ID, type OutputStream } from '../lambda/index.js';
import { readTemplate, type FunctionModel, type TemplateModel } from '../template/index.js';
import { envVarsFor, type EnvVarsFile } from './env-vars.js';
import { cloudPlace, ownPlace, type Place } from './place.js';
import { endLines, errorPayload, invokingLine, startLine, type ErrorPayload } from './report.js';

export interface InvokeRequest {
  /** Default `template.yaml`; samconfig.toml next to it is read as the local cloud reads it. */
  template?: string;
  /** Logical id, physical name or code folder; may be left out when the template has one function. */
  function?: string;
  event: unknown;
  parameterOverrides?: Record<string, string>;
  envVars?: EnvVarsFile;
  /** The running local cloud to act on; none: DynamoDB Local and the SQS emulator are started for this invocation. */
  cloud?: CloudInfo;
  /** Without a cloud: the first port of the local cloud the gateway's URLs name (default 4510). */
  port?: number;
  /** The function's output and the lines around it (`Invoking`, START, END, REPORT), as SAM prints them. */
  log(line: string, stream?: OutputStream): void;
  /** Called once the function is known, before anything starts. */
  starting?(): void;
}

export type InvokeOutcome =
  | { ok: true; requestId: string; functionId: string; payload: unknown }
  | { ok: false; requestId: string; functionId: string; payload: ErrorPayload };

/** The function named is not in the template (or none was named, and it has several). */
export class UnknownFunctionError extends Error {
  override readonly name = 'UnknownFunctionError';
  constructor(
    message: string,
    readonly functions: string[],
  ) {
    super(message);
  }
}

/**
 * Runs the invocation. Resolves with the result or the function's error (an error of the
 * handler, a timeout, a crash: Lambda answers 200 for them); rejects for anything else.
 */
export async function invokeOnce(request: InvokeRequest): Promise<InvokeOutcome> {
  const settings = cloudSettings({
    ...(request.template ? { template: request.template } : {}),
    ...(request.parameterOverrides ? { parameterOverrides: request.parameterOverrides } : {}),
    watch: false,
  });
  const read = settings.read;
  // Checked before anything starts: an unknown function costs no JVM.
  const first = readTemplate(settings.template, read);
  const fn = chosenFunction(first, request.function);
  request.starting?.();
  const teardown = new Teardown((line) => request.log(line, 'stderr'));
  try {
    const place = request.cloud
      ? await cloudPlace(request.cloud, settings.template, read)
      : await ownPlace(settings.template, read, defaultUrls(request.port ?? DEFAULT_PORT, first), teardown);
    const model = readTemplate(settings.template, { ...read, stackName: place.stackName, region: place.region, queueUrl: place.queueUrls });
    const chosen = model.functions.find((item) => item.logicalId === fn.logicalId)!;
    const { values, ignored } = envVarsFor(request.envVars ?? {}, chosen);
    if (ignored.length > 0) request.log(`--env-vars: ${ignored.join(', ')} not in ${chosen.logicalId}'s environment in the template: ignored`, 'stderr');
    // As in the local cloud: the local secret stands in for the one JWT_SECRET_REF names.
    const secret: Record<string, string> = usesLocalSecret(model.parameters) && 'JWT_SECRET_REF' in chosen.environment ? { JWT_SECRET: settings.jwtSecret } : {};
    const plan = functionPlan({ ...model, functions: [chosen] }, localEndpointMap(model, place.urls), { [chosen.logicalId]: { ...secret, ...values } });
    const spec = plan.specs[0];
    if (!spec) throw new Error(plan.warnings[0] ?? `${chosen.logicalId} cannot run locally`);
    const runtime = await createLambdaRuntime([spec], {
      baseEnv: baseEnv(place),
      endpointAliases: endpointAliases(model, place.urls),
      log: (id, line, stream) => id === RUNTIME_LOG_ID ? undefined : request.log(line, stream),
    });
    teardown.add('the function', PHASE.functions, () => runtime.close());
    return await timedInvoke(request, chosen, (requestId) => runtime.invoke(chosen.logicalId, request.event, { requestId, throttle: 'reject' }));
  } finally {
    await teardown.run();
  }
}

async function timedInvoke(request: InvokeRequest, fn: FunctionModel, invoke: (requestId: string) => Promise<unknown>): Promise<InvokeOutcome> {
  const requestId = randomUUID();
  const common = { requestId, functionId: fn.logicalId };
  request.log(invokingLine(fn), 'stderr');
  request.log(startLine(requestId), 'stderr');
  const started = performance.now();
  const report = (): void => endLines({ requestId, durationMs: performance.now() - started, memoryMb: fn.memorySize }).forEach((line) => request.log(line, 'stderr'));
  try {
    const payload = await invoke(requestId);
    report();
    return { ok: true, ...common, payload };
  } catch (error) {
    if (!(error instanceof LambdaInvokeError) || error.functionError !== 'Unhandled') throw error;
    report();
    return { ok: false, ...common, payload: errorPayload(error) };
  }
}

/** The function named, or the template's only one. */
export function chosenFunction(model: TemplateModel, name: string | undefined): FunctionModel {
  const ids = model.functions.map((fn) => fn.logicalId);
  if (name === undefined) {
    if (model.functions.length === 1) return model.functions[0]!;
    const why = ids.length === 0 ? 'the template has no function' : 'name a function when the template has several';
    throw new UnknownFunctionError(`${why}. Possible options in your template: ${ids.join(', ') || 'none'}`, ids);
  }
  const id = functionId(model, name);
  const fn = model.functions.find((item) => item.logicalId === id);
  if (!fn) throw new UnknownFunctionError(`function ${JSON.stringify(name)} not found. Possible options in your template: ${ids.join(', ') || 'none'}`, ids);
  return fn;
}

function baseEnv(place: Place): Record<string, string> {
  return {
    AWS_REGION: place.region,
    AWS_DEFAULT_REGION: place.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: place.dynamodbEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: place.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: place.sqsEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Without a running cloud: the URLs a local cloud on `port` would have (nothing answers there). */
function defaultUrls(port: number, model: TemplateModel): LocalUrls {
  const stage = model.websocketApis[0]?.stageName;
  const path = stage === undefined || stage === '$default' ? '' : `/${stage}`;
  return { wsUrl: `ws://127.0.0.1:${port}${path}`, connectionsUrl: `http://127.0.0.1:${port}${path}`, publishUrl: `http://127.0.0.1:${port + 1}` };
}
