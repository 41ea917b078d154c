/**
 * One region of the local cloud: the template read for that region, its gateway, HTTP API
 * and console, its tables and queues in the shared services, its functions (with
 * AWS_REGION set to it) and its event source mappings.
 */
import type { ConsoleState, TokenMinter } from '../console/index.js';
import { createLambdaRuntime, type LambdaRuntime } from '../lambda/index.js';
import { MetricsRegistry, parseEmf } from '../metrics/index.js';
import type { ReplicationDelayControl } from '../replication/index.js';
import type { CreatedTable } from '../services/index.js';
import { readTemplate, type TemplateModel } from '../template/index.js';
import type { TtlSweeper } from '../ttl/index.js';
import { httpPlan, webSocketPlan } from './apis.js';
import { describeApplication } from './application.js';
import { signToken } from './dev-token.js';
import { endpointAliases, localEndpointMap, withLocalEndpoints } from './endpoints.js';
import { startEventSources } from './event-sources.js';
import type { FaultTargets } from './faults.js';
import { functionId, functionPlan } from './functions.js';
import { LOCAL_CREDENTIALS, type CloudInfo, type LocalCloudOptions } from './options.js';
import { tokenSettings, usesLocalSecret } from './parameters.js';
import { withReplicaStreams } from './replication.js';
import { startServers, type Servers } from './servers.js';
import { regionServices, type Clients, type ServiceProcesses } from './services.js';
import type { CloudSettings, RegionSettings } from './settings.js';
import { PHASE, type Teardown } from './teardown.js';
import { runSchedules } from './schedules.js';
import { DEFAULT_TTL_INTERVAL_MS, startTtl, ttlTables } from './ttl.js';

/** What runs for one region. */
export interface RegionCloud {
  region: string;
  info: CloudInfo;
  model: TemplateModel;
  servers: Servers;
  runtime: LambdaRuntime;
  /** This region's faults: its gateway, its functions, its replication delay. */
  faults: FaultTargets;
  /** This region's functions' metrics (the EMF lines they print), counted since start. */
  metrics: MetricsRegistry;
  /** Deletes expired items of this region's tables with TTL, as DynamoDB TTL does (DynamoDB Local does not). */
  ttl: TtlSweeper;
}

/** A started region, with what the replication between regions needs. */
export interface StartedRegion {
  cloud: RegionCloud;
  clients: Clients;
  tables: Record<string, CreatedTable>;
  warnings: string[];
  /** The console starts answering (once every region runs). */
  serve(): void;
}

export interface RegionContext {
  settings: CloudSettings;
  options: LocalCloudOptions;
  /** Several regions: names carry the region, logs name it, global tables get streams for replication. */
  several: boolean;
  services: Promise<ServiceProcesses>;
  teardown: Teardown;
  log(line: string): void;
  functionLog: FunctionLog;
}

type FunctionLog = NonNullable<LocalCloudOptions['functionLog']>;

/** Starts one region; `replication` is its replication delay, with several regions. */
export async function startRegion(ctx: RegionContext, { region, ports }: RegionSettings, replication?: ReplicationDelayControl): Promise<StartedRegion> {
  const { settings, options, teardown } = ctx;
  const log = ctx.several ? (line: string) => ctx.log(`[${region}] ${line}`) : ctx.log;
  const metrics = new MetricsRegistry();
  let resolveRuntime: (runtime: LambdaRuntime) => void = () => undefined;
  let rejectRuntime: (error: unknown) => void = () => undefined;
  const runtimeReady = new Promise<LambdaRuntime>((resolve, reject) => ((resolveRuntime = resolve), (rejectRuntime = reject)));
  runtimeReady.catch(() => undefined);
  let state: ConsoleState | undefined;
  try {
    const read = { ...settings.read, region, ...(ctx.several ? { regionalNames: true } : {}) };
    const first = readTemplate(settings.template, read);
    const warnings = [...first.warnings];
    const webSocket = webSocketPlan(first, warnings);
    const http = httpPlan(first, warnings);
    const tables = ctx.several ? withReplicaStreams(first.tables) : first.tables;
    const deleteResources = options.deleteResources ?? options.services !== undefined;
    // Settled both, so that whatever started is in the teardown when the other one failed.
    const [servicesStart, serversStart] = await Promise.allSettled([
      ctx.services.then((processes) => regionServices(processes, region, { tables, queues: first.queues }, { deleteResources }, teardown)),
      startServers(
        {
          host: settings.host,
          ports,
          region,
          accountId: first.accountId,
          ...(webSocket ? { webSocket } : {}),
          ...(http ? { http } : {}),
          ...(options.limits ? { limits: options.limits } : {}),
          ...(options.serializeMessages ? { serializeMessages: true } : {}),
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
    const model = readTemplate(settings.template, { ...read, queueUrl: queueUrls });
    const endpoints = localEndpointMap(model, servers.urls);
    const localSecret = usesLocalSecret(model.parameters);
    const extraEnv: Record<string, Record<string, string>> = { ...options.functionEnv };
    // The local secret stands in for JwtSecretRef: every function that would read the secret
    // (the authorizer, a refresh, the canary signing its own token) gets it.
    for (const fn of localSecret ? model.functions : []) {
      if ('JWT_SECRET_REF' in fn.environment) extraEnv[fn.logicalId] = { JWT_SECRET: settings.jwtSecret, ...extraEnv[fn.logicalId] };
    }
    const plan = functionPlan(model, endpoints, extraEnv);
    warnings.push(...plan.warnings);
    const functionLog = ctx.several ? (fn: string, line: string, stream?: Parameters<FunctionLog>[2]) => ctx.functionLog(`${region}/${fn}`, line, stream) : ctx.functionLog;
    const runtime = await createLambdaRuntime(plan.specs, {
      baseEnv: {
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: services.dynamodbEndpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: services.dynamodbEndpoint,
        AWS_ENDPOINT_URL_SQS: services.sqsEndpoint,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      endpointAliases: endpointAliases(model, servers.urls),
      watch: settings.watch,
      log: metricsTap(metrics, functionLog, options.showMetrics ?? false),
    });
    teardown.add('the functions', PHASE.functions, () => runtime.close());
    resolveRuntime(runtime);

    const created = await services.tables;
    const functions = new Set(plan.specs.map((spec) => spec.id));
    const sources = startEventSources(model, { runtime, functions, clients: services.clients, region, queues: services.queues, tables: created.tables, log }, warnings);
    teardown.add('the event sources', PHASE.eventSources, () => sources.stop());
    await sources.ready;
    runSchedules(model, { runtime, functions, region, accountId: model.accountId, log }, warnings, teardown);
    const ttl = startTtl(services.clients.dynamo, ttlTables(model.tables, created.tables), options.ttlIntervalMs ?? DEFAULT_TTL_INTERVAL_MS, teardown, log);

    const token = localSecret ? signToken(settings.jwtSecret, { sub: 'dev', rooms: ['**'], ...tokenSettings(model.parameters) }) : undefined;
    const info: CloudInfo = {
      stackName: model.stackName,
      region,
      stage: webSocket?.api.stageName ?? '',
      ...servers.urls,
      dynamodbEndpoint: services.dynamodbEndpoint,
      sqsEndpoint: services.sqsEndpoint,
      accessKeyId: LOCAL_CREDENTIALS.accessKeyId,
      secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey,
      token: token?.token ?? '',
      tokenExpiresAt: token?.expiresAt.toISOString() ?? '',
      outputs: withLocalEndpoints(model.outputs, endpoints),
      application: describeApplication(model),
      pids: { node: process.pid, ...(created.pid === undefined ? {} : { dynamodb: created.pid }) },
    };
    const faults: FaultTargets = {
      gateway: servers.gateway?.gateway.faults ?? noGatewayFaults(),
      functions: runtime.faults,
      functionId: (name) => functionId(model, name),
      ...(replication ? { replication } : {}),
    };
    const mint: TokenMinter = (claims) => signToken(settings.jwtSecret, { ...tokenSettings(model.parameters), ...claims });
    const serve = (): void => void (state = { info, faults, metrics, ttl, ...(localSecret ? { mint } : {}) });
    return { cloud: { region, info, model, servers, runtime, faults, metrics, ttl }, clients: services.clients, tables: created.tables, warnings, serve };
  } catch (error) {
    rejectRuntime(error);
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
