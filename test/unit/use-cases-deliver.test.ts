/** deliver (app/deliver.ts) on the in-memory ports: outcomes per connection, retries, re-enqueueing, the dead-letter queue, conflation. */
import { describe, expect, it } from 'vitest';
import { deliver } from '../../layers/core/src/app/deliver.js';
import type { DeliveryJob } from '../../layers/core/src/model/delivery-job.js';
import { encodePosition } from '../../layers/core/src/model/positions.js';
import { fakeApp, type FakeWorld } from '../support/fake-app.js';

const POST_ATTEMPTS = 3;
const MAX_ATTEMPTS = 4;

function world(connected: readonly string[]): FakeWorld {
  const made = fakeApp({ POST_ATTEMPTS: String(POST_ATTEMPTS), DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS) });
  connected.forEach((id) => made.api.connect(id));
  made.subscribers.set('lobby', [...connected]);
  return made;
}

function job(connections: string[], overrides: Partial<DeliveryJob> = {}): DeliveryJob {
  const pos = encodePosition({ clock: 1000, origin: 'eu-west-1', seq: 1 });
  return { v: 1, room: 'lobby', id: 'm1', pos, ts: 1000, frame: '{"type":"message","id":"m1"}', connections, attempt: 0, ...overrides };
}

describe('deliver', () => {
  it('posts the frame to each connection once', async () => {
    const { app, api, counts } = world(['c1', 'c2', 'c3']);
    const result = await deliver(app, job(['c1', 'c2', 'c3']));
    expect(result).toMatchObject({ delivered: 3, gone: 0, throttled: 0, retried: 0, requeued: 0, deadLettered: 0 });
    for (const id of ['c1', 'c2', 'c3']) expect(api.frames(id)).toEqual(['{"type":"message","id":"m1"}']);
    expect(counts.get('Delivered')).toBe(3);
  });

  it('removes the gone connections, and only them, without retrying them', async () => {
    const { app, api, removed, subscribers, counts } = world(['c1', 'c3']);
    const result = await deliver(app, job(['c1', 'c2', 'c3']));
    expect(result).toMatchObject({ delivered: 2, gone: 1, retried: 0, requeued: 0 });
    expect(removed).toEqual([{ connectionId: 'c2', rooms: ['lobby'] }]);
    expect(subscribers.get('lobby')).toEqual(['c1', 'c3']);
    expect(api.calls.filter((call) => call.connectionId === 'c2')).toHaveLength(1);
    expect(counts.get('Gone')).toBe(1);
  });

  it('retries a throttled post after a pause, counting the throttle and the retry', async () => {
    const { app, api, counts, slept, queue } = world(['c1', 'c2']);
    api.inject('throttled', 1, 'c2');
    const result = await deliver(app, job(['c1', 'c2']));
    expect(result).toMatchObject({ delivered: 2, throttled: 1, retried: 1, requeued: 0, deadLettered: 0 });
    expect(api.frames('c1')).toHaveLength(1);
    expect(api.frames('c2')).toHaveLength(1);
    expect(slept).toHaveLength(1);
    expect(counts.get('Throttled')).toBe(1);
    expect(counts.get('Retried')).toBe(1);
    expect(queue.requests).toEqual([]);
  });

  it('re-enqueues, as a later attempt holding only them, the connections that still fail', async () => {
    const { app, api, queue } = world(['c1', 'c2', 'c3']);
    api.inject('failed', Number.POSITIVE_INFINITY, 'c2');
    api.inject('throttled', Number.POSITIVE_INFINITY, 'c3');
    const result = await deliver(app, job(['c1', 'c2', 'c3']));
    expect(result).toMatchObject({ delivered: 1, throttled: POST_ATTEMPTS, retried: 2 * (POST_ATTEMPTS - 1), requeued: 2, deadLettered: 0 });
    expect(queue.requests).toHaveLength(1);
    expect(queue.requests[0]!.delaySeconds).toBeGreaterThanOrEqual(1);
    expect(queue.requests[0]!.items).toEqual([job(['c2', 'c3'], { attempt: 1 })]);
    expect(api.frames('c1')).toHaveLength(1);
  });

  it('dead-letters the connections of a job out of attempts, and counts them failed', async () => {
    const { app, api, queue, counts } = world(['c1', 'c2']);
    api.inject('failed', Number.POSITIVE_INFINITY, 'c2');
    const result = await deliver(app, job(['c1', 'c2'], { attempt: MAX_ATTEMPTS - 1 }));
    expect(result).toMatchObject({ delivered: 1, requeued: 0, deadLettered: 1 });
    expect(queue.deadLettered).toEqual([job(['c2'], { attempt: MAX_ATTEMPTS })]);
    expect(queue.requests).toEqual([]);
    expect(counts.get('DeadLettered')).toBe(1);
    expect(counts.get('Failed')).toBe(1);
  });

  it('skips a job of a conflated room whose segment was planned for a newer message', async () => {
    const { app, api, planned, counts } = world(['c1', 'c2']);
    await planned.mark('lobby', '0-2', encodePosition({ clock: 2000, origin: 'eu-west-1', seq: 2 }));
    const result = await deliver(app, job(['c1', 'c2'], { segment: '0-2' }));
    expect(result).toMatchObject({ delivered: 0, conflated: 2 });
    expect(api.calls).toEqual([]);
    expect(counts.get('Conflated')).toBe(2);
    // The newest planned message itself is posted.
    const newest = await deliver(app, job(['c1', 'c2'], { segment: '0-2', pos: encodePosition({ clock: 2000, origin: 'eu-west-1', seq: 2 }) }));
    expect(newest.delivered).toBe(2);
  });
});
