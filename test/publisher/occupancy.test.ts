import { describe, expect, it } from 'vitest';
import { MAX_OCCUPANCY_ROOMS } from '../../client/publisher/index.js';
import { failureOf, publisherFor } from './helpers.js';
import { REGION } from './product-api.js';

const idle = (room: string) => ({ room, connections: 0, principals: 0, regions: { [REGION]: { connections: 0, principals: 0, at: expect.any(Number) } } });

describe('occupancy', () => {
  it('reads one room with GET /rooms/{room}', async () => {
    const { api, publisher } = await publisherFor();
    expect(await publisher.occupancy('scores:1')).toEqual(idle('scores:1'));
    expect(api.seen.map((call) => [call.routeKey, call.room])).toEqual([['GET /rooms/{room}', 'scores:1']]);
  });

  it(`answers every input room in order, asking each once, ${MAX_OCCUPANCY_ROOMS} rooms a request`, async () => {
    const { api, publisher } = await publisherFor();
    const rooms = Array.from({ length: 60 }, (_, n) => `room-${n}`);
    const input = [...rooms, 'room-3', 'room-0'];
    expect(await publisher.occupancyOf(input)).toEqual(input.map(idle));
    expect(api.seen.map((call) => [call.routeKey, JSON.parse(call.event.body ?? '').rooms])).toEqual([
      ['POST /occupancy', rooms.slice(0, MAX_OCCUPANCY_ROOMS)],
      ['POST /occupancy', rooms.slice(MAX_OCCUPANCY_ROOMS)],
    ]);
    expect(await publisher.occupancyOf([])).toEqual([]);
    expect(api.seen).toHaveLength(2);
  });

  it('retries a throttled read, and passes on a refused room at once', async () => {
    const { api, publisher } = await publisherFor();
    api.faults.push({ fail: { status: 429, code: 'THROTTLED', retryable: true } });
    expect(await publisher.occupancyOf(['a', 'b'])).toEqual([idle('a'), idle('b')]);
    expect(api.seen).toHaveLength(2);

    const refused = await failureOf(publisher.occupancyOf(['a', 'bad room']));
    expect(refused).toMatchObject({ code: 'INVALID_ROOM', status: 400, retryable: false, attempts: 1 });
    expect(await failureOf(publisher.occupancy('roomcast.canary'))).toMatchObject({ code: 'INVALID_ROOM', status: 400 });
    // A name no URL can carry as one segment never leaves the client.
    const sent = api.seen.length;
    expect(await failureOf(publisher.occupancy('..'))).toMatchObject({ code: 'INVALID_ROOM', status: undefined });
    expect(api.seen).toHaveLength(sent);
  });
});
