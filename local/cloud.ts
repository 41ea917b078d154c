/**
 * The local cloud: `template.yaml` running on one machine with the very same handlers.
 * DynamoDB Local and the SQS emulator with the template's tables and queues, the functions
 * in the local Lambda runtime, the WebSocket gateway and the HTTP API in front of them, the
 * event source mappings polling the services, and a console with fault injection.
 * See docs/local.md.
 */
import { createLambdaRuntime, defaultLog, type LambdaRuntime } from './lambda/index.js';
import { readTemplate, type TemplateModel } from './template/index.js';
import { MetricsRegistry, parseEmf } from './metrics/index.js';
import { httpPlan, webSocketPlan } from './cloud/apis.js';
import type { ConsoleState } from './cloud/console.js';
import { signToken, type TokenClaims } from './cloud/dev-token.js';
import { localEndpointMap, withLocalEndpoints } from './cloud/endpoints.js';
import { startEventSources } from './cloud/event-sources.js';
import { applyFaults, type FaultTargets } from './cloud/faults.js';
import { functionId, functionPlan } from './cloud/functions.js';
import { LOCAL_CREDENTIALS, type CloudInfo, type LocalCloudOptions } from './cloud/options.js';
import { tokenSettings, usesLocalSecret } from './cloud/parameters.js';
import { startServers, type Servers } from './cloud/servers.js';
import { startServices } from './cloud/services.js';
import { cloudSettings } from './cloud/settings.js';
import { PHASE, Teardown } from './cloud/teardown.js';
import type { TokenMinter } from './cloud/token-endpoint.js';

export { DEFAULT_PORT, LOCAL_CREDENTIALS, type CloudInfo, type FaultRequest, type LocalCloudOptions } from './cloud/options.js';
export { signToken, type TokenClaims } from './cloud/dev-token.js';
export { readyLine, startupScreen } from './cloud/screen.js';

export interface LocalCloud {
  info: CloudInfo;
  model: TemplateModel;
  /** Everything the template has that does not run locally, one line each. */
  warnings: string[];
  servers: Servers;
  runtime: LambdaRuntime;
  faults: FaultTargets;
  /** The functions' metrics (the EMF lines they print), counted since start. */
  metrics: MetricsRegistry;
  /** The HS256 secret the authorizer verifies tokens with. */
  jwtSecret: string;
  /** A token the local authorizer accepts, for another principal or other rooms. */
  token(claims: Pick<TokenClaims, 'sub' | 'rooms' | 'ttlSeconds'>): string;
  startedInMs: number;
  /** Stops everything it started (and deletes its tables and queues from given services). */
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const settings = cloudSettings(options);
  const teardown = new Teardown(log);
  const metrics = new MetricsRegistry();
  let resolveRuntime: (runtime: LambdaRuntime) => void = () => undefined;
  let rejectRuntime: (error: unknown) => void = () => undefined;
  const runtimeReady = new Promise<LambdaRuntime>((resolve, reject) => ((resolveRuntime = resolve), (rejectRuntime = reject)));
  runtimeReady.catch(() => undefined);
  let state: ConsoleState | undefined;
  try {
    const first = readTemplate(settings.template, settings.read);
    const warnings = [...first.warnings];
    const webSocket = webSocketPlan(first, warnings);
    const http = httpPlan(first, warnings);
    const serviceOptions = {
      region: first.region,
      dynamodbPort: settings.ports.dynamodb,
      sqsPort: settings.ports.sqs,
      deleteResources: options.deleteResources ?? options.services !== undefined,
      ...(options.services ? { external: options.services } : {}),
      ...(options.persistDir ? { persistDir: options.persistDir } : {}),
    };
    // Settled both, so that whatever started is in the teardown when the other one failed.
    const [servicesStart, serversStart] = await Promise.allSettled([
      startServices(serviceOptions, first, teardown),
      startServers(
        {
          host: settings.host,
          ports: settings.ports,
          region: first.region,
          accountId: first.accountId,
          ...(webSocket ? { webSocket } : {}),
          ...(http ? { http } : {}),
          ...(options.limits ? { limits: options.limits } : {}),
          invoke: async (target, event) => (await runtimeReady).invoke(target, event),
          console: { page: settings.page, state: () => state },
          log,
        },
        teardown,
      ),
    ]);
    if (serversStart.status === 'rejected') throw serversStart.reason;
    if (servicesStart.status === 'rejected') throw servicesStart.reason;
    const [services, servers] = [servicesStart.value, serversStart.value];
    // Queue URLs are the emulator's: read the template again with them.
    const queueUrls = Object.fromEntries(Object.values(services.queues).map((queue) => [queue.name, queue.url]));
    const model = readTemplate(settings.template, { ...settings.read, queueUrl: queueUrls });
    const endpoints = localEndpointMap(model, servers.urls);
    const localSecret = usesLocalSecret(model.parameters);
    const authorizerId = webSocket?.authorizer?.target;
    const extraEnv: Record<string, Record<string, string>> = { ...options.functionEnv };
    if (authorizerId && localSecret) extraEnv[authorizerId] = { JWT_SECRET: settings.jwtSecret, ...extraEnv[authorizerId] };
    const plan = functionPlan(model, endpoints, extraEnv);
    warnings.push(...plan.warnings);
    const runtime = await createLambdaRuntime(plan.specs, {
      baseEnv: {
        AWS_REGION: model.region,
        AWS_DEFAULT_REGION: model.region,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: services.dynamodbEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: services.dynamodbEndpoint,
        AWS_ENDPOINT_URL_SQS: services.sqsEndpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      watch: settings.watch,
      log: metricsTap(metrics, options.functionLog ?? defaultLog, options.showMetrics ?? false),
    });
    teardown.add('the functions', PHASE.functions, () => runtime.close());
    resolveRuntime(runtime);

    const { tables, pid } = await services.tables;
    const functions = new Set(plan.specs.map((spec) => spec.id));
    const sources = startEventSources(model, { runtime, functions, clients: services.clients, region: model.region, queues: services.queues, tables, log }, warnings);
    teardown.add('the event sources', PHASE.eventSources, () => sources.stop());
    await sources.ready;

    const token = localSecret
      ? signToken(settings.jwtSecret, { sub: 'dev', rooms: ['*'], ...tokenSettings(model.parameters) })
      : undefined;
    const info: CloudInfo = {
      stackName: model.stackName,
      region: model.region,
      stage: webSocket?.api.stageName ?? '',
      ...servers.urls,
      dynamodbEndpoint: services.dynamodbEndpoint,
      sqsEndpoint: services.sqsEndpoint,
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
      secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey,
      token: token?.token ?? '',
      tokenExpiresAt: token?.expiresAt.toISOString() ?? '',
      outputs: withLocalEndpoints(model.outputs, endpoints),
      pids: { node: process.pid, ...(pid === undefined ? {} : { dynamodb: pid }) },
    };
    const faults: FaultTargets = {
      gateway: servers.gateway?.gateway.faults ?? noGatewayFaults(),
      functions: runtime.faults,
      functionId: (name) => functionId(model, name),
    };
    if (options.faults) applyFaults(options.faults, faults);
    const mint: TokenMinter = (claims) => signToken(settings.jwtSecret, { ...tokenSettings(model.parameters), ...claims });
    state = { info, faults, metrics, ...(localSecret ? { mint } : {}) };
    for (const warning of warnings) log(`warning: ${warning}`);
    return {
      info,
      model,
      warnings,
      servers,
      runtime,
      faults,
      metrics,
      jwtSecret: settings.jwtSecret,
      token: (claims) => mint(claims).token,
      startedInMs: Math.round(performance.now() - started),
      stop: () => teardown.run(),
    };
  } catch (error) {
    rejectRuntime(error);
    await teardown.run();
    throw error;
  }
}

function noGatewayFaults(): FaultTargets['gateway'] {
  return { set: () => undefined, clear: () => undefined, current: () => ({}) };
}

/**
 * The functions' output on its way to the log: EMF lines (their metrics) are counted, and
 * printed only when asked, since one comes with nearly every invocation.
 */
function metricsTap(metrics: MetricsRegistry, log: FunctionLog, show: boolean): FunctionLog {
  return (fn, line, stream) => {
    const samples = parseEmf(line);
    if (samples) metrics.record(samples);
    if (!samples || show) log(fn, line, stream);
  };
}

type FunctionLog = NonNullable<LocalCloudOptions['functionLog']>;
