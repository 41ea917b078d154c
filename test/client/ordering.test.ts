import { describe, expect, it } from 'vitest';
import { answer, message, pos, setup, snapshot } from './setup.js';

/** A client with room `r` subscribed from position `from` and the server's answer given. */
async function joined(from = 0, gapTimeoutMs = 1000) {
  const harness = await setup({ gapTimeoutMs });
  const room = harness.collect('r', { since: pos(from) });
  harness.socket().open();
  answer(harness.socket(), ['r'], { r: [] });
  return { ...harness, room, subscribes: () => harness.socket().frames('subscribe').slice(1) };
}

describe('ordering and dedupe per room', () => {
  it('drops duplicates by position and by id', async () => {
    const { socket, room } = await joined();
    const live = socket();
    live.receive(message('r', 1));
    live.receive(message('r', 1));
    live.receive(message('r', 2));
    live.receive(message('r', 1, 'other-id'));
    // The same id at another position (published again in another region): its position
    // is used up, the message is not delivered twice.
    live.receive({ ...message('r', 3), id: 'r#2' });
    live.receive(message('r', 4));
    expect(room.got).toEqual([1, 2, 4]);
  });

  it('orders live frames that arrive out of order, without asking the server', async () => {
    const { socket, room, clock, subscribes } = await joined();
    for (const n of [3, 1, 2, 5, 4]) socket().receive(message('r', n));
    expect(room.got).toEqual([1, 2, 3, 4, 5]);
    await clock.advance(5_000);
    expect(subscribes()).toEqual([]);
  });

  it('holds a message that skips a position for the gap timeout, then asks with since', async () => {
    const { socket, room, clock, subscribes } = await joined();
    socket().receive(message('r', 1));
    socket().receive(message('r', 3));
    expect(room.got).toEqual([1]);
    await clock.advance(999);
    expect(subscribes()).toEqual([]);
    await clock.advance(1);
    expect(subscribes()).toEqual([{ action: 'subscribe', rooms: ['r'], since: { r: pos(1) } }]);
    socket().receive(message('r', 4));
    answer(socket(), ['r'], { r: [2, 3] });
    expect(room.got).toEqual([1, 2, 3, 4]);
  });

  it('does not ask when the missing position arrives live within the timeout', async () => {
    const { socket, room, clock, subscribes } = await joined();
    socket().receive(message('r', 2));
    await clock.advance(900);
    socket().receive(message('r', 1));
    await clock.advance(5_000);
    expect(room.got).toEqual([1, 2]);
    expect(subscribes()).toEqual([]);
  });

  it('moves on after a complete snapshot without the missing position (a position never used): no loop', async () => {
    const { socket, room, clock, subscribes, errors } = await joined();
    socket().receive(message('r', 1));
    socket().receive(message('r', 3));
    await clock.advance(1_000);
    answer(socket(), ['r'], { r: [3] });
    expect(room.got).toEqual([1, 3]);
    socket().receive(message('r', 4));
    await clock.advance(30_000);
    expect(subscribes()).toHaveLength(1);
    expect(room.got).toEqual([1, 3, 4]);
    expect(errors).toEqual([]);
  });

  it('gives up after repeated answers that do not fill the gap, and says so', async () => {
    const { socket, room, clock, subscribes, errors } = await joined();
    socket().receive(message('r', 1));
    socket().receive(message('r', 3));
    for (let round = 0; round < 3; round += 1) {
      await clock.advance(1_000);
      answer(socket(), ['r'], { r: [] });
    }
    expect(room.got).toEqual([1]);
    await clock.advance(1_000);
    expect(subscribes()).toHaveLength(3);
    expect(room.got).toEqual([1, 3]);
    expect(errors.map((error) => [error.code, error.room, error.retryable])).toEqual([['HISTORY_INCOMPLETE', 'r', false]]);
    expect(room.errors.map((error) => error.code)).toEqual(['HISTORY_INCOMPLETE']);
  });
});

describe('snapshots', () => {
  it('merges live messages that arrive while the snapshot is pending', async () => {
    const { socket, collect } = await setup();
    const room = collect('r', { snapshot: 3 });
    socket().open();
    expect(socket().frames('subscribe')).toEqual([{ action: 'subscribe', rooms: ['r'], snapshot: 3 }]);
    socket().receive(message('r', 6));
    socket().receive(message('r', 5));
    expect(room.got).toEqual([]);
    answer(socket(), ['r'], { r: [3, 4, 5] });
    expect(room.got).toEqual([3, 4, 5, 6]);
  });

  it('delivers the frames of a snapshot with more:true as they come', async () => {
    const { socket, collect } = await setup();
    const room = collect('r', { snapshot: true });
    socket().open();
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive(snapshot('r', [1, 2], { more: true }));
    expect(room.got).toEqual([1, 2]);
    socket().receive(message('r', 5));
    socket().receive(snapshot('r', [3, 4], { more: true }));
    expect(room.got).toEqual([1, 2, 3, 4, 5]);
    socket().receive(snapshot('r', [5], { complete: true }));
    socket().receive(message('r', 6));
    expect(room.got).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('complete:false that skips positions: delivers in order, HISTORY_INCOMPLETE, continues from the highest', async () => {
    const { socket, collect, errors } = await setup();
    const room = collect('r', { since: pos(2) });
    socket().open();
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive(message('r', 9));
    socket().receive(snapshot('r', [7, 8], { complete: false }));
    expect(room.got).toEqual([7, 8, 9]);
    expect(errors.map((error) => [error.code, error.room, error.retryable])).toEqual([['HISTORY_INCOMPLETE', 'r', false]]);
    expect(room.errors).toHaveLength(1);
    // It asks once more from the last delivered position, in case history holds more.
    expect(socket().frames('subscribe').at(-1)).toEqual({ action: 'subscribe', rooms: ['r'], since: { r: pos(9) } });
    answer(socket(), ['r'], { r: [] });
    socket().receive(message('r', 10));
    expect(room.got).toEqual([7, 8, 9, 10]);
    expect(errors).toHaveLength(1);
  });

  it('complete:false that starts right after since is only a part: fetches the next one, no error', async () => {
    const { socket, collect, errors } = await setup();
    const room = collect('r', { since: pos(2) });
    socket().open();
    answer(socket(), ['r'], { r: [3, 4, 5] }, false);
    expect(socket().frames('subscribe').at(-1)).toEqual({ action: 'subscribe', rooms: ['r'], since: { r: pos(5) } });
    answer(socket(), ['r'], { r: [6, 7] });
    expect(room.got).toEqual([3, 4, 5, 6, 7]);
    expect(errors).toEqual([]);
  });

  it('an empty complete:false snapshot says messages were lost', async () => {
    const { socket, collect, errors } = await setup();
    collect('r', { since: pos(2) });
    socket().open();
    answer(socket(), ['r'], { r: [] }, false);
    expect(errors.map((error) => error.code)).toEqual(['HISTORY_INCOMPLETE']);
    expect(socket().frames('subscribe')).toHaveLength(1);
  });
});

describe('answers the server cut short (`next`)', () => {
  it('an empty complete:false snapshot with `next` lost nothing: it asks again from its cursor, no error', async () => {
    const { socket, collect, errors } = await setup();
    const room = collect('r', { since: pos(2) });
    socket().open();
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive(snapshot('r', [], { complete: false, next: pos(2) }));
    expect(errors).toEqual([]);
    expect(socket().frames('subscribe').at(-1)).toEqual({ action: 'subscribe', rooms: ['r'], since: { r: pos(2) } });
    answer(socket(), ['r'], { r: [3, 4] });
    expect(room.got).toEqual([3, 4]);
    expect(errors).toEqual([]);
  });

  it('pages on with each part until the server says complete, delivering every message once, in order', async () => {
    const { socket, collect, errors } = await setup();
    const room = collect('r', { since: pos(2) });
    socket().open();
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive(message('r', 9));
    socket().receive(snapshot('r', [3, 4], { complete: false, next: pos(4) }));
    expect(socket().frames('subscribe').at(-1)).toEqual({ action: 'subscribe', rooms: ['r'], since: { r: pos(4) } });
    socket().receive({ type: 'subscribed', rooms: ['r'] });
    socket().receive(snapshot('r', [5, 6], { complete: false, next: pos(6) }));
    expect(socket().frames('subscribe').at(-1)).toEqual({ action: 'subscribe', rooms: ['r'], since: { r: pos(6) } });
    answer(socket(), ['r'], { r: [7, 8, 9] });
    expect(room.got).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(errors).toEqual([]);
    expect(socket().frames('subscribe')).toHaveLength(3);
  });
});

describe('rooms named like members of Object', () => {
  it('an incomplete snapshot of room "constructor" goes as it goes for any room, and throws nothing', async () => {
    const outcome = async (name: string) => {
      const { socket, collect, errors } = await setup();
      const room = collect(name, { snapshot: 5 });
      socket().open();
      answer(socket(), [name], { [name]: [4, 5] }, false);
      return { got: room.got, errors: errors.map((error) => error.code), asked: socket().frames('subscribe').length };
    };
    expect(await outcome('constructor')).toEqual(await outcome('r'));
  });
});
