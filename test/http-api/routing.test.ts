import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRoute } from '../../local/http-api/index.js';
import { createRouter } from '../../local/http-api/routes.js';
import { json, startApi, type RunningApi } from './helpers.js';

const route = (method: string, path: string, target = `${method} ${path}`): HttpRoute => ({ method, path, target, auth: 'NONE' });

describe('route selection (pure)', () => {
  const router = createRouter([
    route('GET', '/pets/dog/1'),
    route('GET', '/pets/dog/{id}'),
    route('GET', '/pets/{proxy+}'),
    route('ANY', '/{proxy+}'),
    route('ANY', '/pets/dog/2'),
  ]);

  it('follows the precedence of the API Gateway documentation', () => {
    expect(router.match('GET', '/pets/dog/1')?.routeKey).toBe('GET /pets/dog/1');
    expect(router.match('GET', '/pets/dog/7')?.routeKey).toBe('GET /pets/dog/{id}');
    expect(router.match('GET', '/pets/cat/1')?.routeKey).toBe('GET /pets/{proxy+}');
    expect(router.match('POST', '/pets/dog/1')?.routeKey).toBe('ANY /{proxy+}');
  });

  it('prefers a literal path over a variable, even with ANY', () => {
    expect(router.match('GET', '/pets/dog/2')?.routeKey).toBe('ANY /pets/dog/2');
  });

  it('needs at least one segment for a greedy variable, and a non-empty one for {param}', () => {
    expect(router.match('GET', '/')).toBeUndefined();
    expect(router.match('GET', '/pets/dog/')?.routeKey).toBe('GET /pets/{proxy+}');
    expect(router.match('GET', '/pets')?.routeKey).toBe('ANY /{proxy+}');
  });

  it('gives path parameters, the greedy one with its slashes', () => {
    expect(router.match('GET', '/pets/dog/9')?.pathParameters).toEqual({ id: '9' });
    expect(router.match('GET', '/pets/a/b/c')?.pathParameters).toEqual({ proxy: 'a/b/c' });
    expect(router.match('GET', '/pets/dog/1')?.pathParameters).toBeUndefined();
  });

  it('falls back to $default, and refuses routes API Gateway would refuse', () => {
    const withDefault = createRouter([route('GET', '/a'), { method: 'ANY', path: '$default', target: 'fallback', auth: 'NONE' }]);
    expect(withDefault.match('DELETE', '/zzz')?.routeKey).toBe('$default');
    expect(() => createRouter([route('GET', '/{proxy+}/x')])).toThrow(/greedy/);
    expect(() => createRouter([route('GET', '/a{b}')])).toThrow(/whole segment/);
    expect(() => createRouter([route('GET', '/a'), route('get', '/a')])).toThrow(/duplicate/);
  });
});

describe('routing over HTTP', () => {
  let api: RunningApi;
  afterEach(async () => api.close());

  it('routes with path parameters and answers 404 like API Gateway', async () => {
    api = await startApi([route('POST', '/rooms/{room}/messages', 'publish'), route('GET', '/rooms/{room}/messages', 'history')]);
    const ok = await fetch(`${api.url}/rooms/lobby/messages`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(200);
    expect(api.calls[0]?.target).toBe('publish');
    expect(api.calls[0]?.event.routeKey).toBe('POST /rooms/{room}/messages');
    expect(api.calls[0]?.event.pathParameters).toEqual({ room: 'lobby' });

    for (const [method, path] of [['DELETE', '/rooms/lobby/messages'], ['GET', '/rooms/lobby'], ['GET', '/rooms//messages'], ['GET', '/']]) {
      const miss = await fetch(`${api.url}${path}`, { method });
      expect(miss.status).toBe(404);
      expect(miss.headers.get('content-type')).toBe('application/json');
      expect(await json(miss)).toEqual({ message: 'Not Found' });
    }
    expect(api.calls).toHaveLength(1);
  });

  it('decodes the path once before routing: parameters and rawPath are decoded', async () => {
    api = await startApi([route('GET', '/rooms/{room}/messages', 'history')]);
    const res = await fetch(`${api.url}/rooms/caf%C3%A9%20au%20lait/messages`);
    expect(res.status).toBe(200);
    expect(api.calls[0]?.event.pathParameters).toEqual({ room: 'café au lait' });
    expect(api.calls[0]?.event.rawPath).toBe('/rooms/café au lait/messages');
    // An encoded slash is a slash once decoded, so it no longer fits one segment.
    expect((await fetch(`${api.url}/rooms/a%2Fb/messages`)).status).toBe(404);
  });

  it('sends everything else to $default', async () => {
    api = await startApi([route('GET', '/known', 'known'), { method: 'ANY', path: '$default', target: 'fallback', auth: 'NONE' }]);
    await fetch(`${api.url}/known`);
    await fetch(`${api.url}/some/where?x=1`, { method: 'PATCH' });
    expect(api.calls.map((c) => [c.target, c.event.routeKey])).toEqual([['known', 'GET /known'], ['fallback', '$default']]);
    expect(api.calls[1]?.event.rawPath).toBe('/some/where');
  });

  it('puts a named stage in front of every path and in the event', async () => {
    api = await startApi([route('GET', '/items/{id}', 'item')], undefined, { stage: 'dev' });
    expect((await fetch(`${api.url}/items/1`)).status).toBe(404);
    expect((await fetch(`${api.url}/dev/items/1`)).status).toBe(200);
    const event = api.calls[0]?.event;
    expect(event?.rawPath).toBe('/dev/items/1');
    expect(event?.requestContext.stage).toBe('dev');
    expect(event?.pathParameters).toEqual({ id: '1' });
  });
});
