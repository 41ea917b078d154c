import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client, fakeInvoke, refused, start, until } from './helpers.js';

const KB = 1024;

/** Sends `total` bytes of JSON text in frames of `frame` bytes. */
function sendFragmented(client: Client, total: number, frame: number): void {
  const text = JSON.stringify({ action: 'big', pad: 'x'.repeat(total - 25) });
  for (let at = 0; at < text.length; at += frame) {
    client.send(text.slice(at, at + frame), { fin: at + frame >= text.length });
  }
}

describe('frame and message size', () => {
  it('closes with 1009 on a frame over 32 KB', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.send(JSON.stringify({ action: 'echo', pad: 'x'.repeat(33 * KB) }));
    expect((await client.closed).code).toBe(1009);
    await until(() => fake.of('disconnect').length === 1);
    expect(fake.of('disconnect')[0]!.event.requestContext.disconnectStatusCode).toBe(1009);
    expect(fake.of('echo')).toEqual([]);
    expect(fake.of('default')).toEqual([]);
  });

  it('takes a 100 KB message in 32 KB frames', async () => {
    const fake = fakeInvoke({ default: (event) => String(event.body!.length) });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    sendFragmented(client, 100 * KB, 32 * KB);
    expect(await client.next()).toBe(String(100 * KB));
  });

  it('closes with 1009 on a message over 128 KB, even in small frames', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    sendFragmented(client, 129 * KB, 16 * KB);
    expect((await client.closed).code).toBe(1009);
    expect(fake.of('default')).toEqual([]);
  });

  it('applies configured limits', async () => {
    const fake = fakeInvoke({ default: () => 'ok' });
    const { url } = await start({ invoke: fake.invoke, limits: { frameBytes: 100, messageBytes: 250 } });
    const client = await Client.open(url);
    sendFragmented(client, 240, 100);
    expect(await client.next()).toBe('ok');
    client.send('y'.repeat(101));
    expect((await client.closed).code).toBe(1009);
  });
});

/**
 * Timers and the clock are fake here (sockets stay real): the gateway's idle and maximum
 * duration timers fire when the test moves the clock, and each step waits for an event of
 * its own (the invocation of a message, a ping's pong), never for time to pass.
 */
function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
}

describe('idle timeout and maximum duration', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('closes an idle connection with 1001 Going away, at the timeout and not before', async () => {
    fakeClock();
    const fake = fakeInvoke();
    const { url, gateway } = await start({ invoke: fake.invoke, limits: { idleTimeoutMs: 100 } });
    const client = await Client.open(url);
    vi.advanceTimersByTime(99);
    expect(gateway.connections()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(gateway.connections()).toEqual([]);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    await fake.invoked('disconnect');
    expect(fake.of('disconnect')[0]!.event.requestContext).toMatchObject({ disconnectStatusCode: 1001, disconnectReason: 'Going away' });
  });

  it('counts data in either direction as activity, but not pings', async () => {
    fakeClock();
    const fake = fakeInvoke();
    const { url, gateway } = await start({ invoke: fake.invoke, limits: { idleTimeoutMs: 150 } });
    const client = await Client.open(url);
    for (let i = 1; i <= 4; i += 1) {
      vi.advanceTimersByTime(100);
      client.send('{"action":"silent"}');
      await fake.invoked('silent', i);
    }
    // 400 ms after it opened, 100 ms after its last message.
    vi.advanceTimersByTime(100);
    expect(gateway.connections()).toHaveLength(1);
    // A ping 100 ms after the last message, answered: it does not restart the count.
    await client.roundTrip();
    vi.advanceTimersByTime(49);
    expect(gateway.connections()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(gateway.connections()).toEqual([]);
    expect((await client.closed).code).toBe(1001);
  });

  it('closes with 1001 after the maximum duration, however busy', async () => {
    fakeClock();
    const fake = fakeInvoke();
    const { url, gateway } = await start({ invoke: fake.invoke, limits: { maxDurationMs: 150 } });
    const client = await Client.open(url);
    for (let i = 1; i <= 7; i += 1) {
      vi.advanceTimersByTime(21);
      client.send('{"action":"silent"}');
      await fake.invoked('silent', i);
    }
    vi.advanceTimersByTime(2);
    expect(gateway.connections()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(gateway.connections()).toEqual([]);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
  });
});

describe('rates', () => {
  // The clock stands still (timers stay real): every step happens in the same wall-clock second.
  const SECOND = Date.UTC(2026, 0, 1, 12, 0, 0);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses new connections over the rate with 429, and accepts them again the next second', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: SECOND + 500 });
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke, limits: { connectRatePerSecond: 3 } });
    await Promise.all([Client.open(url), Client.open(url), Client.open(url)]);
    expect(await refused(url)).toEqual({ status: 429, body: '{"message":"Too Many Requests"}' });
    expect(fake.of('connect')).toHaveLength(3);
    vi.setSystemTime(SECOND + 1000);
    await Client.open(url);
    expect(fake.of('connect')).toHaveLength(4);
  });

  it('throttles messages over the account token bucket, and refills it over time', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: SECOND });
    const fake = fakeInvoke({ echo: () => 'ok' });
    const { url } = await start({ invoke: fake.invoke, limits: { requestRatePerSecond: 1, requestBurst: 3 } });
    const client = await Client.open(url);
    for (let i = 0; i < 5; i += 1) client.send('{"action":"echo"}');
    const replies = await Promise.all(Array.from({ length: 5 }, () => client.next()));
    const throttled = replies.filter((reply) => reply.startsWith('{"message": "Too Many Requests", "connectionId":'));
    expect(throttled).toHaveLength(2);
    expect(replies.filter((reply) => reply === 'ok')).toHaveLength(3);
    expect(fake.of('echo')).toHaveLength(3);
    // One second later, one more token: one message passes, the next is throttled.
    vi.setSystemTime(SECOND + 1000);
    client.send('{"action":"echo"}');
    client.send('{"action":"echo"}');
    // A throttled message is answered at once, maybe before the invocation of the one before it.
    const later = [await client.next(), await client.next()];
    expect(later.filter((reply) => reply === 'ok')).toHaveLength(1);
    expect(later.filter((reply) => reply.startsWith('{"message": "Too Many Requests"'))).toHaveLength(1);
    expect(fake.of('echo')).toHaveLength(4);
  });
});
