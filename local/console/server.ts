/**
 * The console server: the console page at `/` (web/, with the SDK's browser bundle at
 * `/roomcast.js` and the charting library at `/uplot.js` and `/uplot.css`), and the
 * control endpoint: what the cloud runs at `GET /_roomcast/info`, fault injection at
 * `/_roomcast/faults` (GET, POST, DELETE), TTL sweeps at `/_roomcast/ttl` (GET, POST), dev
 * tokens at `POST /_roomcast/token`, `POST /_roomcast/publish` (the page's publish form;
 * local only), and the functions' metrics at `GET /metrics` (Prometheus text) and
 * `GET /_roomcast/metrics` (JSON). Requests whose `Host` is not the cloud's own
 * address are refused with 403 (local/shared/host-check.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { applyFaults, clearFaults, currentFaults, FaultRequestError, parseFaultRequest, type FaultTargets } from '../cloud/faults.js';
import type { CloudInfo } from '../cloud/options.js';
import type { MetricsRegistry } from '../metrics/index.js';
import { hostCheck, refuseForeignHost } from '../shared/host-check.js';
import { hostPort, listen } from '../shared/listen.js';
import { readBody } from '../shared/read-body.js';
import type { TtlSweeper } from '../ttl/index.js';
import { consoleAssets, type Asset, type ConsoleAssets } from './assets.js';
import { json, send } from './http.js';
import { PROMETHEUS_PATH, serveMetricsJson, servePrometheus } from './metrics.js';
import { publishFromConsole } from './publish.js';
import { serveToken, type TokenMinter } from './token.js';
import { serveTtl } from './ttl.js';

export const CONTROL_PATH = '/_roomcast';

const MAX_BODY = 64 * 1024;

export interface ConsoleOptions {
  host: string;
  port: number;
  /** web/index.html; the page's other files are beside it. */
  page: string;
  /** Undefined until the cloud is ready (then every API answers 503). */
  state(): ConsoleState | undefined;
  log(line: string): void;
}

/** What the control endpoint works with once the cloud is ready. */
export interface ConsoleState {
  info: CloudInfo;
  faults: FaultTargets;
  /** Signs dev tokens; absent when the cloud verifies no HS256 dev tokens. */
  mint?: TokenMinter;
  /** The functions' metrics, counted from their EMF lines; absent, the metrics routes answer 404. */
  metrics?: MetricsRegistry;
  /** The region's TTL sweeper; absent, `/_roomcast/ttl` answers 404. */
  ttl?: TtlSweeper;
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

interface ControlRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  state: ConsoleState;
  log(line: string): void;
}

/** The control endpoint's routes, by the path after `/_roomcast/`. */
const CONTROL_ROUTES: Record<string, (request: ControlRequest) => Promise<void>> = {
  info: async ({ res, method, state }) => {
    if (method !== 'GET') return json(res, 405, { error: 'GET only' });
    json(res, 200, state.info);
  },
  faults: serveFaults,
  ttl: serveTtl,
  token: serveToken,
  metrics: serveMetricsJson,
  publish: async ({ req, res, method, state }) => {
    if (method !== 'POST') return json(res, 405, { error: 'POST only' });
    const { body, tooLarge } = await readBody(req, MAX_BODY);
    if (tooLarge) return json(res, 413, { error: { code: 'MESSAGE_TOO_LARGE', message: 'body too large', retryable: false } });
    const answer = await publishFromConsole(state.info, body.toString('utf8'));
    json(res, answer.status, answer.body);
  },
};

export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const assets = consoleAssets(options.page);
  const ownHost = hostCheck(options.host);
  const server = createServer((req, res) => {
    // Everything here is local control: a DNS rebinding page must reach none of it.
    if (!ownHost(req)) return refuseForeignHost(res);
    serve(options, assets, req, res).catch((error: unknown) => {
      options.log(`console: ${req.method} ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  const port = await listen(server, options.port, options.host, 'the console');
  return {
    url: `http://${hostPort(options.host, port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(options: ConsoleOptions, assets: ConsoleAssets, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://console').pathname;
  const method = req.method ?? 'GET';
  if (path !== PROMETHEUS_PATH && !path.startsWith(`${CONTROL_PATH}/`)) return serveAsset(options, assets, path, method, res);
  const state = options.state();
  if (!state) return json(res, 503, { error: 'the local cloud is starting' });
  if (path === PROMETHEUS_PATH) return servePrometheus({ res, method, state });
  const name = path.slice(CONTROL_PATH.length + 1);
  const route = Object.hasOwn(CONTROL_ROUTES, name) ? CONTROL_ROUTES[name] : undefined;
  if (!route) return json(res, 404, { error: 'not found' });
  if (method !== 'GET' && method !== 'HEAD' && !sameOrigin(req)) return json(res, 403, { error: 'requests from other origins are refused' });
  await route({ req, res, method, state, log: options.log });
}

async function serveAsset(options: ConsoleOptions, assets: ConsoleAssets, path: string, method: string, res: ServerResponse): Promise<void> {
  if (!assets.has(path)) return json(res, 404, { error: 'not found' });
  if (method !== 'GET' && method !== 'HEAD') return json(res, 405, { error: 'GET only' });
  let asset: Asset | undefined;
  try {
    asset = await assets.get(path);
  } catch (error) {
    // A page script that does not build: esbuild's messages, for whoever edits web/.
    options.log(`console: cannot build ${path}: ${String(error)}`);
    return send(res, 500, 'text/plain; charset=utf-8', Buffer.from(`cannot build ${path}:\n${String(error)}\n`));
  }
  if (!asset) return json(res, 404, { error: 'not found' });
  send(res, 200, asset.type, asset.body, method === 'HEAD');
}

/**
 * Browsers send `Origin` with every cross-origin POST or DELETE: a page of another site
 * must not publish or inject faults here. Requests without it (curl, scripts) pass.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${req.headers.host ?? ''}`;
}

async function serveFaults({ req, res, method, state, log }: ControlRequest): Promise<void> {
  if (method === 'GET') return json(res, 200, currentFaults(state.faults));
  if (method === 'DELETE') {
    clearFaults(state.faults);
    log('faults cleared');
    return json(res, 200, currentFaults(state.faults));
  }
  if (method !== 'POST') return json(res, 405, { error: 'GET, POST or DELETE' });
  const { body, tooLarge } = await readBody(req, MAX_BODY);
  if (tooLarge) return json(res, 413, { error: 'body too large' });
  try {
    const request = parseFaultRequest(JSON.parse(body.toString('utf8') || '{}'));
    applyFaults(request, state.faults);
    log(`faults set: ${JSON.stringify(request)}`);
  } catch (error) {
    if (error instanceof FaultRequestError || error instanceof SyntaxError) return json(res, 400, { error: error.message });
    throw error;
  }
  return json(res, 200, currentFaults(state.faults));
}
