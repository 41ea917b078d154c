import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultTargets } from '../../local/cloud/faults.js';
import type { CloudInfo } from '../../local/cloud/options.js';
import { startConsole, type ConsoleServer, type TokenMinter } from '../../local/console/index.js';
import { FOREIGN_HOST_MESSAGE, parseHost } from '../../local/shared/host-check.js';

const PAGE = new URL('../../web/index.html', import.meta.url).pathname;
const opened: ConsoleServer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((server) => server.close()));
});

/** A console whose state records what the control endpoint did. */
async function start(host = '127.0.0.1'): Promise<{ port: number; minted: unknown[]; faultsSet: unknown[] }> {
  const minted: unknown[] = [];
  const faultsSet: unknown[] = [];
  const mint: TokenMinter = (claims) => (minted.push(claims), { token: 'dev-token', expiresAt: new Date(0) });
  const faults: FaultTargets = {
    gateway: { set: (settings) => void faultsSet.push(settings), clear: () => undefined, current: () => ({}) },
    functions: { failNext: () => undefined, clear: () => undefined },
    functionId: () => undefined,
  };
  const server = await startConsole({ host, port: 0, page: PAGE, state: () => ({ info: { stackName: 'roomcast' } as CloudInfo, faults, mint }), log: () => undefined });
  opened.push(server);
  return { port: Number(new URL(server.url).port), minted, faultsSet };
}

/** A request with the given Host header, as a DNS rebinding page's browser sends it. */
function send(port: number, path: string, headers: Record<string, string>, method = 'GET', body?: string, address = '127.0.0.1'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port, path, method, headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const TOKEN_REQUEST = JSON.stringify({ sub: 'attacker', rooms: ['roomcast.*'], ttlSeconds: 366 * 86_400 });

describe('the console and control endpoints refuse a Host that is not the cloud', () => {
  it('refuses a DNS rebinding page: no token minted, no fault set, no info, no metrics, no page', async () => {
    const { port, minted, faultsSet } = await start();
    const foreign = { host: `rebind.test:${port}`, origin: `http://rebind.test:${port}`, 'content-type': 'application/json' };
    const token = await send(port, '/_roomcast/token', foreign, 'POST', TOKEN_REQUEST);
    expect(token.status).toBe(403);
    expect(JSON.parse(token.body)).toEqual({ message: FOREIGN_HOST_MESSAGE });
    expect((await send(port, '/_roomcast/faults', foreign, 'POST', '{"dropSockets":true}')).status).toBe(403);
    for (const path of ['/_roomcast/info', '/_roomcast/faults', '/_roomcast/metrics', '/metrics', '/', '/roomcast.js']) {
      expect((await send(port, path, foreign)).status, path).toBe(403);
    }
    expect(minted).toEqual([]);
    expect(faultsSet).toEqual([]);
  });

  it('refuses the right name on another port, and a request without Host', async () => {
    const { port, minted } = await start();
    expect((await send(port, '/_roomcast/token', { host: `127.0.0.1:${port + 1}` }, 'POST', TOKEN_REQUEST)).status).toBe(403);
    // Node's server answers 400 to an HTTP/1.1 request without Host before the console sees it.
    expect((await send(port, '/_roomcast/token', {}, 'POST', TOKEN_REQUEST)).status).toBe(400);
    expect(minted).toEqual([]);
  });

  it('serves 127.0.0.1, localhost and [::1] on its port', async () => {
    const { port, minted } = await start();
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const answer = await send(port, '/_roomcast/token', { host, origin: `http://${host}` }, 'POST', TOKEN_REQUEST);
      expect(answer.status, host).toBe(200);
    }
    expect(minted).toHaveLength(4);
  });

  it.runIf(process.platform === 'linux')('serves the --host it listens on', async () => {
    const { port } = await start('127.0.0.2');
    expect((await send(port, '/_roomcast/info', { host: `127.0.0.2:${port}` }, 'GET', undefined, '127.0.0.2')).status).toBe(200);
    expect((await send(port, '/_roomcast/info', { host: `rebind.test:${port}` }, 'GET', undefined, '127.0.0.2')).status).toBe(403);
  });
});

describe('parseHost', () => {
  it('reads names, IPv6 literals and ports, and refuses what is not a Host', () => {
    expect(parseHost('Example.TEST:4512')).toEqual({ name: 'example.test', port: 4512 });
    expect(parseHost('[::1]:4512')).toEqual({ name: '::1', port: 4512 });
    expect(parseHost('127.0.0.1')).toEqual({ name: '127.0.0.1', port: 80 });
    expect(parseHost('a:b:c')).toBeUndefined();
    expect(parseHost('evil.test:4512@127.0.0.1')).toBeUndefined();
    expect(parseHost(undefined)).toBeUndefined();
  });
});
