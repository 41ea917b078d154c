import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { API_ID, startApi, type RunningApi } from './helpers.js';

/** A raw HTTP/1.1 request, to send repeated headers exactly as written. */
function rawGet(url: string, path: string, headers: Array<[string, string]>): Promise<number> {
  const { hostname, port, host } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0)));
    socket.on('error', reject);
    const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...headers.map(([k, v]) => `${k}: ${v}`)];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

describe('the payload format 2.0 event', () => {
  let api: RunningApi;
  afterEach(async () => api.close());

  it('carries route, path, query, headers and request context', async () => {
    api = await startApi([{ method: 'GET', path: '/rooms/{room}/messages', target: 'history', auth: 'NONE' }]);
    const before = Date.now();
    const res = await fetch(`${api.url}/rooms/r1/messages?since=0001&limit=5&tag=a&tag=b%20c`, { headers: { 'user-agent': 'roomcast-test/1', 'X-Custom': 'Yes' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{14}==$/);
    const event = api.calls[0]?.event;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /rooms/{room}/messages',
      rawPath: '/rooms/r1/messages',
      rawQueryString: 'since=0001&limit=5&tag=a&tag=b%20c',
      queryStringParameters: { since: '0001', limit: '5', tag: 'a,b c' },
      pathParameters: { room: 'r1' },
      isBase64Encoded: false,
    });
    expect(event?.body).toBeUndefined();
    expect(event?.cookies).toBeUndefined();
    expect(event?.headers['x-custom']).toBe('Yes');
    expect(event?.headers['user-agent']).toBe('roomcast-test/1');
    expect(event?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event?.headers['x-forwarded-proto']).toBe('http');
    expect(event?.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const ctx = event?.requestContext;
    expect(ctx).toMatchObject({
      accountId: '000000000000',
      apiId: API_ID,
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method: 'GET', path: '/rooms/r1/messages', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'roomcast-test/1' },
      routeKey: 'GET /rooms/{room}/messages',
      stage: '$default',
    });
    expect(ctx?.requestId).toBe(res.headers.get('apigw-requestid'));
    expect(ctx?.authorizer).toBeUndefined();
    expect(ctx?.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(ctx?.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it('joins repeated headers with commas and moves cookies out of the headers', async () => {
    api = await startApi([{ method: 'GET', path: '/c', target: 'c', auth: 'NONE' }]);
    const status = await rawGet(api.url, '/c', [
      ['X-Multi', 'one'],
      ['X-Multi', 'two'],
      ['Cookie', 'a=1; b=2'],
      ['Cookie', 'c=3'],
    ]);
    expect(status).toBe(200);
    const event = api.calls[0]?.event;
    expect(event?.headers['x-multi']).toBe('one,two');
    expect(event?.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event?.headers['cookie']).toBeUndefined();
    expect(event?.queryStringParameters).toBeUndefined();
    expect(event?.pathParameters).toBeUndefined();
  });

  it('passes JSON and text bodies as text', async () => {
    api = await startApi([{ method: 'POST', path: '/b', target: 'b', auth: 'NONE' }]);
    await fetch(`${api.url}/b`, { method: 'POST', body: '{"data":"héllo"}', headers: { 'content-type': 'application/json; charset=utf-8' } });
    await fetch(`${api.url}/b`, { method: 'POST', body: 'plain words', headers: { 'content-type': 'text/plain' } });
    await fetch(`${api.url}/b`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/vnd.api+json' } });
    expect(api.calls.map((c) => [c.event.body, c.event.isBase64Encoded])).toEqual([
      ['{"data":"héllo"}', false],
      ['plain words', false],
      ['{}', false],
    ]);
  });

  it('base64-encodes binary, form and untyped bodies', async () => {
    api = await startApi([{ method: 'POST', path: '/b', target: 'b', auth: 'NONE' }]);
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await fetch(`${api.url}/b`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    await fetch(`${api.url}/b`, { method: 'POST', body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await fetch(`${api.url}/b`, { method: 'POST', body: bytes });
    const [binary, form, untyped] = api.calls.map((c) => c.event);
    expect(binary?.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary?.body ?? '', 'base64')).toEqual(Buffer.from(bytes));
    expect(form?.isBase64Encoded).toBe(true);
    expect(Buffer.from(form?.body ?? '', 'base64').toString()).toBe('a=1&b=2');
    expect(untyped?.isBase64Encoded).toBe(true);
  });
});
