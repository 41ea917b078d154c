import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHttpApi } from '../../local/http-api/index.js';
import { CREDENTIALS, REGION } from './helpers.js';

describe('createHttpApi inside another server', () => {
  it('tells the caller whether a route took the request, and drains on close', async () => {
    let release: () => void = () => undefined;
    let invoked: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (invoked = resolve));
    const api = createHttpApi({
      apiId: 'embedded',
      region: REGION,
      credentials: CREDENTIALS,
      routes: [{ method: 'GET', path: '/slow', target: 'slow', auth: 'NONE' }],
      invoke: () => {
        invoked();
        return new Promise((resolve) => (release = () => resolve('done')));
      },
    });
    const handled: boolean[] = [];
    const server = createServer((req, res) => {
      void api.handleRequest(req, res).then((taken) => handled.push(taken));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/nothing`)).status).toBe(404);
      const slow = fetch(`${base}/slow`);
      await running; // the slow request is in its function when close() starts
      const closed = api.close();
      expect((await fetch(`${base}/slow`)).status).toBe(503);
      release();
      await closed;
      const res = await slow;
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('done');
      expect(handled).toEqual([false, false, true]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
