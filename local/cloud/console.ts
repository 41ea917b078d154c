/**
 * The console server: the page at `/` (web/index.html), what the cloud runs at
 * `GET /_roomcast/info`, and fault injection at `/_roomcast/faults` (GET, POST, DELETE).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { hostPort, listen } from '../shared/listen.js';
import { readBody } from '../shared/read-body.js';
import { applyFaults, clearFaults, currentFaults, FaultRequestError, parseFaultRequest, type FaultTargets } from './faults.js';
import type { CloudInfo } from './options.js';

export const CONTROL_PATH = '/_roomcast';

export interface ConsoleOptions {
  host: string;
  port: number;
  page: string;
  /** Undefined until the cloud is ready (then every API answers 503). */
  state(): { info: CloudInfo; faults: FaultTargets } | undefined;
  log(line: string): void;
}

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const server = createServer((req, res) => {
    serve(options, req, res).catch((error: unknown) => {
      options.log(`console: ${req.method} ${req.url} failed: ${String(error)}`);
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  const port = await listen(server, options.port, options.host);
  return {
    url: `http://${hostPort(options.host, port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(options: ConsoleOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://console').pathname;
  const method = req.method ?? 'GET';
  if (path === '/' || path === '/index.html') {
    if (method !== 'GET' && method !== 'HEAD') return json(res, 405, { error: 'GET only' });
    const page = await readFile(options.page);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length, 'cache-control': 'no-store' });
    res.end(method === 'HEAD' ? undefined : page);
    return;
  }
  if (!path.startsWith(`${CONTROL_PATH}/`)) return json(res, 404, { error: 'not found' });
  const state = options.state();
  if (!state) return json(res, 503, { error: 'the local cloud is starting' });
  if (path === `${CONTROL_PATH}/info` && method === 'GET') return json(res, 200, state.info);
  if (path !== `${CONTROL_PATH}/faults`) return json(res, 404, { error: 'not found' });
  if (method === 'GET') return json(res, 200, currentFaults(state.faults.gateway));
  if (method === 'DELETE') {
    clearFaults(state.faults);
    options.log('faults cleared');
    return json(res, 200, currentFaults(state.faults.gateway));
  }
  if (method !== 'POST') return json(res, 405, { error: 'GET, POST or DELETE' });
  const { body, tooLarge } = await readBody(req, 64 * 1024);
  if (tooLarge) return json(res, 413, { error: 'body too large' });
  try {
    const request = parseFaultRequest(JSON.parse(body.toString('utf8') || '{}'));
    applyFaults(request, state.faults);
    options.log(`faults set: ${JSON.stringify(request)}`);
  } catch (error) {
    if (error instanceof FaultRequestError || error instanceof SyntaxError) return json(res, 400, { error: error.message });
    throw error;
  }
  return json(res, 200, currentFaults(state.faults.gateway));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
