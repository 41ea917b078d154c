import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPublisher } from '../../client/publisher/index.js';
import { issuedIn, seqOf } from '../support/positions.js';
import { FAST, failureOf, publisherFor, startApi } from './helpers.js';
import { CREDENTIALS, REGION } from './product-api.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('publish', () => {
  it('signs with SigV4 and gets the stored position back', async () => {
    const { api, publisher } = await publisherFor();
    const result = await publisher.publish('scores:1', { home: 2 }, { id: 'goal-77' });
    expect(result).toEqual({ room: 'scores:1', id: 'goal-77', pos: expect.stringMatching(issuedIn(REGION, 1)) });
    const call = api.seen[0];
    expect(call?.routeKey).toBe('POST /rooms/{room}/messages');
    expect(call?.event.requestContext.authorizer?.iam.accessKey).toBe(CREDENTIALS.accessKeyId);
    expect(call?.event.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(call?.event.body ?? '')).toEqual({ data: { home: 2 }, id: 'goal-77' });
  });

  it('generates an idempotency id when none is given', async () => {
    const { api, publisher } = await publisherFor();
    const first = await publisher.publish('lobby', 'hello');
    const second = await publisher.publish('lobby', 'hello');
    expect(first.id).toMatch(UUID);
    expect(second.id).not.toBe(first.id);
    expect(api.seen.map((s) => s.ids[0])).toEqual([first.id, second.id]);
    expect((await api.stored('lobby')).map((m) => [m.id, m.pos])).toEqual([
      [first.id, first.pos],
      [second.id, second.pos],
    ]);
    expect([first, second].map((result) => seqOf(result.pos))).toEqual([1, 2]);
  });

  it('percent-encodes the room in the path', async () => {
    const { api, publisher } = await publisherFor();
    const room = 'team:1@eu=x.y_z-0';
    expect((await publisher.publish(room, 1)).room).toBe(room);
    expect(api.seen[0]?.room).toBe(room);
    expect(api.seen[0]?.event.rawPath).toBe(`/rooms/${room}/messages`);
  });

  it('answers the same position for the same id, and stores it once', async () => {
    const { api, publisher } = await publisherFor();
    const once = await publisher.publish('scores:1', { home: 1 }, { id: 'same' });
    const again = await publisher.publish('scores:1', { home: 1 }, { id: 'same' });
    expect(again).toEqual(once);
    expect(await api.stored('scores:1')).toHaveLength(1);
  });

  it('refuses a wrong secret with a 403 that is not retried', async () => {
    const credentials = { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' };
    const { api, publisher } = await publisherFor({ credentials });
    const error = await failureOf(publisher.publish('lobby', 1));
    expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403, retryable: false, attempts: 1 });
    expect(error.message).toMatch(/^The request signature we calculated does not match/);
    expect(error.requestId).toBeTruthy();
    expect(api.seen).toHaveLength(0);
  });

  it('takes a credentials provider', async () => {
    const provider = vi.fn(async () => CREDENTIALS);
    const { publisher } = await publisherFor({ credentials: provider });
    await publisher.publish('lobby', 1);
    expect(provider).toHaveBeenCalled();
  });

  it('uses the default credential chain when no credentials are given', async () => {
    // The API first: its stack sets the credentials its own functions use.
    const api = await startApi();
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_ACCESS_KEY_ID', CREDENTIALS.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', CREDENTIALS.secretAccessKey);
    vi.stubEnv('AWS_SESSION_TOKEN', 'session-token-from-env');
    const publisher = createPublisher({ endpoint: api.url, region: REGION, retries: FAST });
    await publisher.publish('lobby', 1);
    expect(api.seen[0]?.event.requestContext.authorizer?.iam.accessKey).toBe(CREDENTIALS.accessKeyId);
    expect(api.seen[0]?.event.headers['x-amz-security-token']).toBe('session-token-from-env');
  });

  it('works with an endpoint that names a stage', async () => {
    const { api, publisher } = await publisherFor({}, 'prod');
    await publisher.publish('lobby', 1);
    expect(api.seen[0]?.event.requestContext.stage).toBe('prod');
  });

  it('refuses what cannot be sent before sending anything', async () => {
    const { api, publisher } = await publisherFor();
    expect(await failureOf(publisher.publish('..', 1))).toMatchObject({ code: 'INVALID_ROOM', retryable: false });
    expect(await failureOf(publisher.publish('lobby', 10n))).toMatchObject({ code: 'INVALID_MESSAGE', retryable: false });
    expect(api.seen).toHaveLength(0);
    expect(() => createPublisher({ endpoint: 'ftp://example.com', region: REGION })).toThrow(TypeError);
  });

  it('passes on a server refusal with its code and details', async () => {
    const { api, publisher } = await publisherFor();
    const error = await failureOf(publisher.publish('bad room', 1));
    expect(error).toMatchObject({ code: 'INVALID_ROOM', status: 400, retryable: false, attempts: 1 });
    expect(api.seen).toHaveLength(1);
  });
});
