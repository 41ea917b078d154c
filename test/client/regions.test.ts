/**
 * One room fed by two regions: each origin in its own order without gaps, origins never
 * waiting for each other, cursors naming every origin, and a message published in both.
 */
import { describe, expect, it } from 'vitest';
import type { RoomMessage } from '../../client/sdk/index.js';
import { positionOf } from '../support/positions.js';
import { setup } from './setup.js';

const EU = 'eu-west-1';
const US = 'us-east-1';
const at = (origin: string, n: number) => positionOf(n, origin, 1000 + 10 * n + (origin === US ? 5 : 0));
const frame = (origin: string, n: number, id = `${origin}/${n}`) => ({ type: 'message', room: 'r', id, pos: at(origin, n), ts: 0, data: null });

async function joined(options: { since?: string; snapshot?: number } = { since: `${at(EU, 0)},${at(US, 0)}` }) {
  const harness = await setup();
  const got: string[] = [];
  const errors: string[] = [];
  harness.client.subscribe('r', (message: RoomMessage) => got.push(message.id), { ...options, onError: (error) => errors.push(error.code) });
  harness.socket().open();
  const subscribes = () => harness.socket().frames('subscribe');
  return { ...harness, got, errors, subscribes };
}

describe('a room fed by two regions', () => {
  it('delivers each origin in order; a gap in one does not hold up the other', async () => {
    const { socket, got } = await joined();
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive({ type: 'snapshot', room: 'r', messages: [], complete: true });
    for (const [origin, n] of [[EU, 1], [US, 2], [US, 1], [EU, 3], [US, 3]] as const) socket().receive(frame(origin, n));
    expect(got).toEqual([`${EU}/1`, `${US}/1`, `${US}/2`, `${US}/3`]);
    socket().receive(frame(EU, 2));
    expect(got.slice(4)).toEqual([`${EU}/2`, `${EU}/3`]);
  });

  it('asks after a gap with a cursor naming every origin', async () => {
    const { socket, clock, got, subscribes } = await joined();
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive({ type: 'snapshot', room: 'r', messages: [], complete: true });
    socket().receive(frame(EU, 1));
    socket().receive(frame(US, 1));
    socket().receive(frame(US, 3));
    await clock.advance(1_000);
    expect(subscribes().at(-1)).toEqual({ action: 'subscribe', rooms: ['r'], since: { r: [at(EU, 1), at(US, 1)].sort().join(',') } });
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive({ type: 'snapshot', room: 'r', messages: [frame(US, 2), frame(US, 3)], complete: true });
    expect(got).toEqual([`${EU}/1`, `${US}/1`, `${US}/2`, `${US}/3`]);
  });

  it('starts an origin absent from the snapshot at the snapshot’s cursor, so its next message is awaited, not skipped', async () => {
    const { socket, clock, got, subscribes } = await joined({ snapshot: 2 });
    // A live message of the quiet origin arrives while the snapshot is on its way; its
    // predecessor (US 5) is still replicating.
    socket().receive(frame(US, 6));
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive({ type: 'snapshot', room: 'r', messages: [frame(EU, 8), frame(EU, 9)], complete: true, cursor: `${at(US, 4)},${at(EU, 9)}` });
    expect(got).toEqual([`${EU}/8`, `${EU}/9`]);
    await clock.advance(1_000);
    expect(subscribes().at(-1)).toMatchObject({ since: { r: [at(EU, 9), at(US, 4)].sort().join(',') } });
    socket().receive(frame(US, 5));
    expect(got.slice(2)).toEqual([`${US}/5`, `${US}/6`]);
  });

  it('starts an origin first heard of after the snapshot at its seq 1: a later message waits for it, and the gap request asks from the start', async () => {
    const { socket, clock, got, subscribes } = await joined({ snapshot: 20 });
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    // An empty room: no origin has published yet.
    socket().receive({ type: 'snapshot', room: 'r', messages: [], complete: true });
    socket().receive(frame(EU, 1));
    // The other region's second message comes through first (two deliver instances race).
    socket().receive(frame(US, 2));
    expect(got).toEqual([`${EU}/1`]);
    socket().receive(frame(US, 1));
    expect(got).toEqual([`${EU}/1`, `${US}/1`, `${US}/2`]);
    // Its first message lost on the way: the gap request resumes that origin from seq 0.
    socket().receive(frame('ap-south-1', 2));
    await clock.advance(1_000);
    const zero = positionOf(0, 'ap-south-1', 0);
    expect(subscribes().at(-1)).toEqual({ action: 'subscribe', rooms: ['r'], since: { r: [at(EU, 1), at(US, 2), zero].sort().join(',') } });
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive({ type: 'snapshot', room: 'r', messages: [frame('ap-south-1', 1), frame('ap-south-1', 2)], complete: true });
    expect(got.slice(3)).toEqual(['ap-south-1/1', 'ap-south-1/2']);
  });

  it('delivers once a message published again in the other region under the same id', async () => {
    const { socket, got } = await joined();
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive({ type: 'snapshot', room: 'r', messages: [], complete: true });
    socket().receive(frame(EU, 1, 'order-7'));
    socket().receive(frame(US, 1, 'order-7'));
    socket().receive(frame(US, 2));
    expect(got).toEqual(['order-7', `${US}/2`]);
  });

  it('gives the app a cursor to store, and resumes from one on reconnect', async () => {
    const { client, socket, clock, subscribes } = await joined();
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive({ type: 'snapshot', room: 'r', messages: [], complete: true });
    socket().receive(frame(EU, 1));
    socket().receive(frame(US, 1));
    socket().receive(frame(US, 2));
    const cursor = [at(EU, 1), at(US, 2)].sort().join(',');
    expect(client.cursor('r')).toBe(cursor);
    expect(client.cursor('elsewhere')).toBeUndefined();
    socket().drop();
    await clock.advance(60_000);
    socket().open();
    expect(subscribes()[0]).toEqual({ action: 'subscribe', rooms: ['r'], since: { r: cursor } });
  });
});
