import { afterEach, describe, expect, it } from 'vitest';
import { json, startApi, type Reply, type RunningApi } from './helpers.js';

const ROUTES = [{ method: 'ANY', path: '/r', target: 'fn', auth: 'NONE' as const }];

describe('responses', () => {
  let api: RunningApi;
  afterEach(async () => api.close());

  const answer = async (reply: Reply): Promise<Response> => {
    api = await startApi(ROUTES, reply);
    return fetch(`${api.url}/r`);
  };

  it('uses a structured result as it is: status, headers, cookies, body', async () => {
    const res = await answer(() => ({
      statusCode: 202,
      headers: { 'Content-Type': 'application/json', 'x-count': 3, 'x-flag': true },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: '{"room":"r","id":"1"}',
    }));
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-count')).toBe('3');
    expect(res.headers.get('x-flag')).toBe('true');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(await json(res)).toEqual({ room: 'r', id: '1' });
  });

  it('decodes a base64 response body', async () => {
    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    const res = await answer(() => ({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true }));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
  });

  it('guesses a 200 JSON answer from any other value', async () => {
    const object = await answer(() => ({ hello: 'world', body: 'not special without statusCode' }));
    expect(object.status).toBe(200);
    expect(object.headers.get('content-type')).toBe('application/json');
    expect(await json(object)).toEqual({ hello: 'world', body: 'not special without statusCode' });
    await api.close();
    const text = await answer(() => 'Hello from Lambda!');
    expect(await text.text()).toBe('Hello from Lambda!');
    await api.close();
    const list = await answer(() => [1, 2]);
    expect(await list.text()).toBe('[1,2]');
  });

  it('answers 500 when the function fails', async () => {
    const res = await answer(() => {
      throw new Error('boom');
    });
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual({ message: 'Internal Server Error' });
    expect(api.logs.some((line) => line.includes('boom'))).toBe(true);
  });

  it.each([
    ['a non-numeric statusCode', { statusCode: 'ok' }],
    ['an out-of-range statusCode', { statusCode: 42 }],
    ['an object body', { statusCode: 200, body: { a: 1 } }],
    ['object header values', { statusCode: 200, headers: { a: { b: 1 } } }],
    ['cookies that are not strings', { statusCode: 200, cookies: [1] }],
  ])('answers 500 to a malformed response: %s', async (_name, result) => {
    const res = await answer(() => result);
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 503 when the integration takes longer than its timeout', async () => {
    // The integration never answers: only the timeout can.
    api = await startApi(ROUTES, () => new Promise(() => undefined), { integrationTimeoutMs: 100 });
    const res = await fetch(`${api.url}/r`);
    expect(res.status).toBe(503);
    expect(await json(res)).toEqual({ message: 'Service Unavailable' });
  });

  it('answers 413 to a body over the limit, declared or streamed', async () => {
    api = await startApi(ROUTES, undefined, { maxBodyBytes: 1024 });
    const declared = await fetch(`${api.url}/r`, { method: 'POST', body: 'x'.repeat(5000) });
    expect(declared.status).toBe(413);
    expect(await json(declared)).toEqual({ message: 'Request Entity Too Large' });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(600));
        controller.close();
      },
    });
    const streamed = await fetch(`${api.url}/r`, { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    const fits = await fetch(`${api.url}/r`, { method: 'POST', body: 'x'.repeat(1024) });
    expect(fits.status).toBe(200);
    expect(api.calls).toHaveLength(1);
  });

  it('takes 10 MB by default and refuses more', async () => {
    api = await startApi(ROUTES);
    const limit = 10 * 1024 * 1024;
    expect((await fetch(`${api.url}/r`, { method: 'POST', body: new Uint8Array(limit) })).status).toBe(200);
    expect((await fetch(`${api.url}/r`, { method: 'POST', body: new Uint8Array(limit + 1) })).status).toBe(413);
  });
});
