/** The local cloud's front doors: the WebSocket gateway (+ @connections), the HTTP API and the console. */
import { startGateway, type GatewayLimits, type StartedGateway } from '../gateway/index.js';
import { startHttpApi, type StartedHttpApi } from '../http-api/index.js';
import type { HttpPlan, WebSocketPlan } from './apis.js';
import { CONTROL_PATH, startConsole, type ConsoleOptions, type ConsoleServer } from '../console/index.js';
import { LOCAL_CREDENTIALS } from './options.js';
import type { Ports } from './settings.js';
import { PHASE, type Teardown } from './teardown.js';

export interface ServerOptions {
  host: string;
  ports: Ports;
  region: string;
  accountId: string;
  webSocket?: WebSocketPlan;
  http?: HttpPlan;
  limits?: Partial<GatewayLimits>;
  /** The gateway handles the messages of one connection one at a time. */
  serializeMessages?: boolean;
  invoke(target: string, event: unknown): Promise<unknown>;
  console: Pick<ConsoleOptions, 'page' | 'state'>;
  log(line: string): void;
}

export interface Servers {
  gateway?: StartedGateway;
  httpApi?: StartedHttpApi;
  console: ConsoleServer;
  urls: { wsUrl: string; connectionsUrl: string; publishUrl: string; consoleUrl: string; controlUrl: string };
}

export async function startServers(options: ServerOptions, teardown: Teardown): Promise<Servers> {
  const { host, ports, region, invoke, log } = options;
  const ws = options.webSocket;
  const http = options.http;
  const [gatewayStart, httpStart, consoleStart] = await Promise.allSettled([
    ws &&
      startGateway({
        port: ports.gateway,
        host,
        apiId: ws.api.id,
        stage: ws.api.stageName,
        region,
        routeSelectionExpression: ws.api.routeSelectionExpression,
        routes: ws.routes,
        ...(ws.authorizer ? { authorizer: ws.authorizer } : {}),
        invoke,
        ...(options.limits ? { limits: options.limits } : {}),
        ...(options.serializeMessages ? { serializeMessages: true } : {}),
        credentials: LOCAL_CREDENTIALS,
        log: (line) => log(`[gateway] ${line}`),
      }),
    http &&
      startHttpApi({
        port: ports.http,
        host,
        apiId: http.id,
        region,
        stage: http.stage,
        accountId: options.accountId,
        routes: http.routes,
        invoke,
        credentials: LOCAL_CREDENTIALS,
        log: (line) => log(`[http-api] ${line}`),
      }),
    startConsole({ ...options.console, host, port: ports.console, log: (line) => log(`[console] ${line}`) }),
  ]);
  const consoleServer = consoleStart.status === 'fulfilled' ? consoleStart.value : undefined;
  const httpApi = httpStart.status === 'fulfilled' ? httpStart.value : undefined;
  const gateway = gatewayStart.status === 'fulfilled' ? gatewayStart.value : undefined;
  // The console goes last: it reports on the others while they stop.
  if (consoleServer) teardown.add('the console', PHASE.apis, () => consoleServer.close());
  if (httpApi) teardown.add('the HTTP API', PHASE.apis, () => httpApi.close());
  if (gateway) teardown.add('the WebSocket gateway', PHASE.apis, () => gateway.close());
  for (const [name, start] of [['WebSocket gateway', gatewayStart], ['HTTP API', httpStart], ['console', consoleStart]] as const) {
    if (start.status === 'rejected') throw new Error(`cannot start the ${name}: ${(start.reason as Error).message}`);
  }
  if (!consoleServer) throw new Error('cannot start the console');
  const stagePath = http && http.stage !== '$default' ? `/${http.stage}` : '';
  return {
    ...(gateway ? { gateway } : {}),
    ...(httpApi ? { httpApi } : {}),
    console: consoleServer,
    urls: {
      wsUrl: gateway?.url ?? '',
      connectionsUrl: gateway?.connectionsUrl ?? '',
      publishUrl: httpApi ? `${httpApi.url}${stagePath}` : '',
      consoleUrl: consoleServer.url,
      controlUrl: `${consoleServer.url}${CONTROL_PATH}`,
    },
  };
}
