import { describe, expect, it } from 'vitest';
import { CANARY_ROOM, runCanary, type CanaryPorts, type CanarySettings, type SocketListener } from '../../layers/core/src/app/canary/index.js';
import type { PublishRequest } from '../../layers/core/src/protocol/publish-request.js';

const SETTINGS: CanarySettings = { url: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod', messages: 5, timeoutMs: 4000, connectTimeoutMs: 700, tokenRef: '' };
const HOP_MS = 20;

interface FakeOptions {
  /** Messages (by 1-based number) the fake service never delivers. */
  drop?: number[];
  /** Messages delivered twice (at-least-once delivery). */
  twice?: number[];
  /** The server closes the socket after delivering this many messages. */
  closeAfter?: number;
  openFails?: Error;
  openHangs?: boolean;
  subscribeAnswer?: 'subscribed' | 'forbidden' | 'silence';
  token?: string;
}

/**
 * A fake of everything around the canary: a socket whose server confirms subscriptions and
 * delivers each published message (HOP_MS later on the fake clock), and timers that fire on
 * the next turn of the event loop, so a wait that is not already satisfied times out at once.
 */
function fakeStack(options: FakeOptions = {}) {
  let now = 1_763_719_200_000;
  let listener: SocketListener | undefined;
  let delivered = 0;
  const seen = {
    url: '',
    frames: [] as string[],
    published: [] as PublishRequest[],
    counts: [] as Array<[string, number]>,
    latencies: [] as Array<[string, number]>,
    timers: [] as number[],
    closed: false,
  };
  const deliver = (request: PublishRequest): void => {
    const frame = JSON.stringify({ type: 'message', room: request.room, id: request.id, pos: String(delivered).padStart(16, '0'), ts: now, data: request.data });
    listener?.message(frame);
  };
  const ports: CanaryPorts = {
    async openSocket(url, socketListener) {
      seen.url = url;
      if (options.openFails) throw options.openFails;
      if (options.openHangs) return new Promise(() => undefined);
      listener = socketListener;
      return {
        send(text) {
          seen.frames.push(text);
          const { rooms } = JSON.parse(text) as { rooms: string[] };
          const answer = options.subscribeAnswer ?? 'subscribed';
          if (answer === 'subscribed') queueMicrotask(() => socketListener.message(JSON.stringify({ type: 'subscribed', rooms })));
          if (answer === 'forbidden') {
            queueMicrotask(() => socketListener.message(JSON.stringify({ type: 'error', code: 'ROOM_FORBIDDEN', message: 'not allowed', retryable: false })));
          }
        },
        close() {
          seen.closed = true;
        },
      };
    },
    token: async () => options.token,
    async publish(request) {
      seen.published.push(request);
      const number = seen.published.length;
      if (options.closeAfter !== undefined && delivered >= options.closeAfter) {
        listener?.closed('close code 1001 (Going Away)');
        return { room: request.room, id: request.id, pos: '' };
      }
      if (!options.drop?.includes(number)) {
        now += HOP_MS;
        delivered += 1;
        deliver(request);
        if (options.twice?.includes(number)) deliver(request);
      }
      return { room: request.room, id: request.id, pos: String(number).padStart(16, '0') };
    },
    metrics: {
      count: (name, value = 1) => void seen.counts.push([name, value]),
      latency: (name, ms) => void seen.latencies.push([name, ms]),
    },
    clock: {
      now: () => now,
      timer(ms, fire) {
        seen.timers.push(ms);
        const handle = setTimeout(fire, 0);
        return () => clearTimeout(handle);
      },
    },
    newId: () => 'run-1',
  };
  return { ports, seen };
}

describe('runCanary', () => {
  it('publishes numbered messages to the reserved room and records a round trip for each that comes back', async () => {
    const { ports, seen } = fakeStack({ token: 'header.payload.signature' });
    const report = await runCanary(ports, SETTINGS);

    expect(report).toEqual({ run: 'run-1', sent: 5, received: 5, lost: 0, roundTripsMs: [HOP_MS, HOP_MS, HOP_MS, HOP_MS, HOP_MS] });
    expect(seen.latencies).toEqual(Array.from({ length: 5 }, () => ['CanaryRoundTrip', HOP_MS]));
    expect(seen.counts).toEqual([['CanaryLost', 0]]);
    expect(seen.published.map((request) => [request.room, request.id, request.data])).toEqual(
      [1, 2, 3, 4, 5].map((seq) => [CANARY_ROOM, `canary-run-1-${seq}`, { canary: 'run-1', seq, of: 5 }]),
    );
    expect(seen.closed).toBe(true);
  });

  it('subscribes its socket to the reserved room roomcast.canary', async () => {
    const { ports, seen } = fakeStack();
    await runCanary(ports, SETTINGS);
    expect(CANARY_ROOM).toBe('roomcast.canary');
    expect(seen.frames.map((frame) => JSON.parse(frame))).toEqual([{ action: 'subscribe', rooms: ['roomcast.canary'] }]);
  });

  it('connects with the token in the query string, or without one', async () => {
    const signed = fakeStack({ token: 'a.b.c' });
    await runCanary(signed.ports, SETTINGS);
    expect(new URL(signed.seen.url).searchParams.get('token')).toBe('a.b.c');
    expect(signed.seen.url.startsWith(SETTINGS.url)).toBe(true);

    const open = fakeStack();
    await runCanary(open.ports, SETTINGS);
    expect(open.seen.url).toBe(SETTINGS.url);
  });

  it('counts the messages that did not come back within the timeout as lost', async () => {
    const { ports, seen } = fakeStack({ drop: [2, 4] });
    const report = await runCanary(ports, SETTINGS);

    expect(report).toMatchObject({ sent: 5, received: 3, lost: 2 });
    expect(seen.latencies).toHaveLength(3);
    expect(seen.counts).toEqual([['CanaryLost', 2]]);
    expect(seen.timers).toContain(SETTINGS.timeoutMs);
    expect(seen.closed).toBe(true);
  });

  it('counts a message delivered twice once', async () => {
    const { ports, seen } = fakeStack({ twice: [1, 3] });
    const report = await runCanary(ports, SETTINGS);
    expect(report).toMatchObject({ received: 5, lost: 0 });
    expect(seen.latencies).toHaveLength(5);
  });

  it('when the socket cannot open: records every message as lost and throws, so the invocation is an Error', async () => {
    const { ports, seen } = fakeStack({ openFails: new Error('the WebSocket handshake failed (close code 1006)') });
    await expect(runCanary(ports, SETTINGS)).rejects.toThrow(/handshake failed/);
    expect(seen.counts).toEqual([['CanaryLost', 5]]);
    expect(seen.latencies).toEqual([]);
    expect(seen.published).toEqual([]);
  });

  it('when the socket does not open in time: throws and records every message as lost', async () => {
    const { ports, seen } = fakeStack({ openHangs: true });
    await expect(runCanary(ports, SETTINGS)).rejects.toThrow(`opening the socket took longer than ${SETTINGS.connectTimeoutMs} ms`);
    expect(seen.counts).toEqual([['CanaryLost', 5]]);
  });

  it('when the socket closes half-way: keeps the round trips it saw, counts the rest as lost, and throws', async () => {
    const { ports, seen } = fakeStack({ closeAfter: 2 });
    await expect(runCanary(ports, SETTINGS)).rejects.toThrow(/the socket closed: close code 1001/);
    expect(seen.latencies).toEqual([
      ['CanaryRoundTrip', HOP_MS],
      ['CanaryRoundTrip', HOP_MS],
    ]);
    expect(seen.counts).toEqual([['CanaryLost', 3]]);
    expect(seen.closed).toBe(true);
  });

  it('when the subscribe is refused or unanswered: publishes nothing and throws', async () => {
    const refused = fakeStack({ subscribeAnswer: 'forbidden' });
    await expect(runCanary(refused.ports, SETTINGS)).rejects.toThrow(/ROOM_FORBIDDEN/);
    expect(refused.seen.published).toEqual([]);
    expect(refused.seen.counts).toEqual([['CanaryLost', 5]]);

    const silent = fakeStack({ subscribeAnswer: 'silence' });
    await expect(runCanary(silent.ports, SETTINGS)).rejects.toThrow(/no answer to subscribe/);
    expect(silent.seen.published).toEqual([]);
  });

  it('when a publish fails: throws, and what was not seen is lost', async () => {
    const { ports, seen } = fakeStack();
    let calls = 0;
    const publish = ports.publish;
    ports.publish = async (request) => {
      calls += 1;
      if (calls === 3) throw new Error('ProvisionedThroughputExceededException');
      return publish(request);
    };
    await expect(runCanary(ports, SETTINGS)).rejects.toThrow(/ProvisionedThroughput/);
    expect(seen.counts).toEqual([['CanaryLost', 3]]);
    expect(seen.latencies).toHaveLength(2);
  });
});
