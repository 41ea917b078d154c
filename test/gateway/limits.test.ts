import { describe, expect, it } from 'vitest';
import { Client, fakeInvoke, refused, sleep, start, until } from './helpers.js';

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

describe('idle timeout and maximum duration', () => {
  it('closes an idle connection with 1001 Going away', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke, limits: { idleTimeoutMs: 100 } });
    const client = await Client.open(url);
    const started = Date.now();
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    await until(() => fake.of('disconnect').length === 1);
    expect(fake.of('disconnect')[0]!.event.requestContext).toMatchObject({ disconnectStatusCode: 1001, disconnectReason: 'Going away' });
  });

  it('counts data in either direction as activity, but not pings', async () => {
    const fake = fakeInvoke();
    const { url, gateway } = await start({ invoke: fake.invoke, limits: { idleTimeoutMs: 150 } });
    const client = await Client.open(url);
    for (let i = 0; i < 4; i += 1) {
      await sleep(60);
      client.send('{"action":"silent"}');
    }
    expect(gateway.connections()).toHaveLength(1);
    const pinging = setInterval(() => client.ws.ping(), 30);
    const { code } = await client.closed;
    clearInterval(pinging);
    expect(code).toBe(1001);
  });

  it('closes with 1001 after the maximum duration, however busy', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke, limits: { maxDurationMs: 150 } });
    const client = await Client.open(url);
    const busy = setInterval(() => client.send('{"action":"silent"}'), 20);
    const closed = await client.closed;
    clearInterval(busy);
    expect(closed).toEqual({ code: 1001, reason: 'Going away' });
  });
});

describe('rates', () => {
  it('refuses new connections over the rate with 429', async () => {
    const fake = fakeInvoke();
    const { url } = await start({ invoke: fake.invoke, limits: { connectRatePerSecond: 3 } });
    await sleep(1000 - (Date.now() % 1000) + 5); // the start of a wall-clock second
    await Promise.all([Client.open(url), Client.open(url), Client.open(url)]);
    expect(await refused(url)).toEqual({ status: 429, body: '{"message":"Too Many Requests"}' });
    expect(fake.of('connect')).toHaveLength(3);
  });

  it('throttles messages over the account token bucket', async () => {
    const fake = fakeInvoke({ echo: () => 'ok' });
    const { url } = await start({ invoke: fake.invoke, limits: { requestRatePerSecond: 1, requestBurst: 3 } });
    const client = await Client.open(url);
    for (let i = 0; i < 5; i += 1) client.send('{"action":"echo"}');
    const replies = await Promise.all(Array.from({ length: 5 }, () => client.next()));
    const throttled = replies.filter((reply) => reply.startsWith('{"message": "Too Many Requests", "connectionId":'));
    expect(throttled).toHaveLength(2);
    expect(replies.filter((reply) => reply === 'ok')).toHaveLength(3);
    expect(fake.of('echo')).toHaveLength(3);
  });
});
