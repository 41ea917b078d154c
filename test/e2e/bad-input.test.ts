/**
 * Bad input bounces, end to end: room names aimed at our keys, paths and readers are
 * refused on the socket and on the publish API; publish bodies that are not JSON, too deep
 * or too big answer 4xx; tampered requests answer 403. None of it leaves a row behind.
 */
import { describe, expect, it } from 'vitest';
import { signHeaders } from '../../local/http-api/index.js';
import { dumpTable } from '../support/tables.js';
import { HOSTILE_ROOMS, nested } from '../support/fuzz.js';
import { services } from './services.js';
import { cloudForFile, publish, Socket } from './support.js';

// These tests send frames faster than a client would (each answered, one after the other): no frame rate limit.
const cloud = cloudForFile({ parameterOverrides: { DeliveryMaxConcurrency: '2', ConnectionRateLimit: '0' } });

/** Every row of one of the cloud's tables. */
function rows(table: 'ConnectionsTableName' | 'MessagesTableName'): Promise<string[]> {
  return dumpTable(services(cloud()).dynamo, cloud().info.outputs[table]!);
}
const connectionRows = () => rows('ConnectionsTableName');
const messageRows = () => rows('MessagesTableName');

/** Room names the rules refuse (the reserved prefix aside: it is a valid name a token may grant). */
const REFUSED = HOSTILE_ROOMS.filter((room) => !['roomcast.canary', 'constructor', 'toString'].includes(room));

describe('room names aimed at keys, paths and readers', () => {
  it('are refused on subscribe with INVALID_ROOM, and store no row; the connection stays usable', async () => {
    const socket = await Socket.open(cloud());
    await socket.subscribe(['safe:1']);
    const before = await connectionRows();
    for (const room of REFUSED) {
      await socket.subscribe([room]);
      expect(socket.frames.at(-1), JSON.stringify(room.slice(0, 40))).toMatchObject({ type: 'error', code: 'INVALID_ROOM', retryable: false });
      await socket.subscribe(['safe:2', room]);
      expect(socket.frames.at(-1)).toMatchObject({ type: 'error', code: 'INVALID_ROOM' });
    }
    expect(await connectionRows()).toEqual(before);
    await socket.subscribe(['safe:2']);
    expect(socket.frames.at(-1)).toEqual({ type: 'subscribed', rooms: ['safe:2'] });
    await socket.close();
  });

  it('are refused by the publish API with a 4xx, and store nothing', async () => {
    const before = await messageRows();
    for (const room of REFUSED) {
      const response = await publish(cloud(), room, { data: 1 });
      const text = await response.text();
      expect(response.status, `${JSON.stringify(room.slice(0, 40))}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      // What reaches the route as {room} is refused by name; what the URL resolves elsewhere finds no route.
      if (response.status === 400) expect(JSON.parse(text).error.code).toMatch(/^INVALID_(ROOM|MESSAGE)$/);
    }
    for (const room of ['roomcast.canary', 'roomcast.x']) expect((await publish(cloud(), room, { data: 1 })).status).toBe(400);
    expect(await messageRows()).toEqual(before);
  });
});

describe('publish bodies', () => {
  const post = (body: string, path = '/rooms/bodies/messages') => {
    const { accessKeyId, secretAccessKey, region, publishUrl } = cloud().info;
    const url = `${publishUrl}${path}`;
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
    return signHeaders(url, init, { region, credentials: { accessKeyId, secretAccessKey } }).then((headers) => ({ url, init, headers }));
  };
  const send = async (signed: Awaited<ReturnType<typeof post>>, body = signed.init.body) => {
    const response = await fetch(signed.url, { ...signed.init, headers: signed.headers, body });
    return { status: response.status, body: await response.json() };
  };

  it.each([
    ['not JSON', 400, 'INVALID_JSON', '{"data":'],
    ['JSON without data', 400, 'INVALID_MESSAGE', '{"id":"x"}'],
    ['data nested too deep', 400, 'INVALID_MESSAGE', JSON.stringify({ data: nested(40) })],
    ['a message too big for a socket', 413, 'MESSAGE_TOO_LARGE', JSON.stringify({ data: 'x'.repeat(130 * 1024) })],
    ['a 1 MB body', 413, 'MESSAGE_TOO_LARGE', JSON.stringify({ data: 'x'.repeat(1024 * 1024) })],
    ['unknown fields', 400, 'INVALID_MESSAGE', '{"data":1,"admin":true}'],
  ])('%s: %i %s, nothing stored', async (_, status, code, body) => {
    const before = await messageRows();
    const answer = await send(await post(body));
    expect(answer.status).toBe(status);
    expect(answer.body.error).toMatchObject({ code, retryable: false });
    expect(await messageRows()).toEqual(before);
  });

  it('a batch with one bad message: 400, none of it stored', async () => {
    const before = await messageRows();
    const body = JSON.stringify({ messages: [{ room: 'batch:ok', data: 1 }, { room: 'batch#bad', data: 2 }] });
    const answer = await send(await post(body, '/messages'));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'INVALID_ROOM', details: { index: 1 } });
    expect(await messageRows()).toEqual(before);
  });

  it('tampered after signing (body, room, signature): 403, nothing stored', async () => {
    const before = await messageRows();
    expect((await send(await post('{"data":1}'), '{"data":2}')).status).toBe(403);
    const signed = await post('{"data":1}');
    expect((await send({ ...signed, url: signed.url.replace('/rooms/bodies/', '/rooms/other/') })).status).toBe(403);
    const forged = await post('{"data":1}');
    const authorization = forged.headers.authorization!.replace(/Signature=(.)/, (_, first: string) => `Signature=${first === '0' ? '1' : '0'}`);
    expect((await send({ ...forged, headers: { ...forged.headers, authorization } })).status).toBe(403);
    expect(await messageRows()).toEqual(before);
  });
});
