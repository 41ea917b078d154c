/**
 * The messages of one connection, as API Gateway handles them: each dispatched as soon as
 * it arrives, so their invocations run at once and answer in the order they finish; one
 * at a time, in order, only with `serializeMessages`.
 */
import { GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, fakeInvoke, sdk, start, until, type AnyEvent } from './helpers.js';

const FRAME = /^\{"message": "(.+)", "connectionId":"([^"]+)", "requestId":"([^"]+)"\}$/;

/** Gates of the running test; a test that fails before opening them must not hold the gateway's close. */
const unopened: Array<() => void> = [];
afterEach(() => unopened.splice(0).forEach((open) => open()));

/** A promise the test settles when it wants to. */
function gate<T = void>(): { opened: Promise<T>; open(value: T): void } {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => (open = resolve));
  unopened.push(() => open(undefined as T));
  return { opened, open };
}

const numberOf = (event: AnyEvent): number => (JSON.parse(event.body!) as { n: number }).n;

/** An `echo` handler whose answer to message n waits for `gates[n]`; counts how many run at once. */
function gatedEcho(count: number) {
  const gates = Array.from({ length: count }, () => gate<void>());
  const counts = { running: 0, most: 0 };
  const fake = fakeInvoke({
    echo: async (event) => {
      counts.running += 1;
      counts.most = Math.max(counts.most, counts.running);
      const n = numberOf(event);
      await gates[n]!.opened;
      counts.running -= 1;
      return `answer ${n}`;
    },
  });
  return { fake, gates, counts };
}

describe('the messages of one connection', () => {
  it('are dispatched as they arrive: the answer to a fast message overtakes a slow one sent before it', async () => {
    const { fake, gates } = gatedEcho(2);
    gates[1]!.open();
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.send(JSON.stringify({ action: 'echo', n: 0 }));
    client.send(JSON.stringify({ action: 'echo', n: 1 }));
    expect(await client.next()).toBe('answer 1');
    gates[0]!.open();
    expect(await client.next()).toBe('answer 0');
  });

  it('run at once, and their answers go out in the order the invocations finish', async () => {
    const { fake, gates, counts } = gatedEcho(4);
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    for (let n = 0; n < 4; n += 1) client.send(JSON.stringify({ action: 'echo', n }));
    await until(() => fake.of('echo').length === 4, 2000, 'every message to be invoked while none has finished');
    expect(counts.running).toBe(4);
    const answers: string[] = [];
    for (const n of [2, 0, 3, 1]) {
      gates[n]!.open();
      answers.push(await client.next());
    }
    expect(answers).toEqual(['answer 2', 'answer 0', 'answer 3', 'answer 1']);
  });

  it('get their error frames when their own invocation fails, ahead of slower messages', async () => {
    const slow = gate<string>();
    const fake = fakeInvoke({
      echo: () => slow.opened,
      silent: () => {
        throw new Error('boom');
      },
    });
    const { url } = await start({ invoke: fake.invoke });
    const client = await Client.open(url);
    client.send('{"action":"echo"}');
    client.send('{"action":"silent"}');
    const [, message, , requestId] = FRAME.exec(await client.next())!;
    expect(message).toBe('Internal server error');
    expect(requestId).toBe(fake.of('silent')[0]!.event.requestContext.requestId);
    slow.open('slow');
    expect(await client.next()).toBe('slow');
  });

  it('are handled one at a time, in order, with serializeMessages', async () => {
    const { fake, gates, counts } = gatedEcho(3);
    gates[1]!.open();
    gates[2]!.open();
    const { url } = await start({ invoke: fake.invoke, serializeMessages: true });
    const client = await Client.open(url);
    for (let n = 0; n < 3; n += 1) client.send(JSON.stringify({ action: 'echo', n }));
    await until(() => fake.of('echo').length >= 1, 2000, 'the first message to be invoked');
    // Every frame has reached the gateway once a ping sent after them is answered; none was answered.
    expect(await client.quiet()).toBe(true);
    expect(fake.of('echo')).toHaveLength(1);
    gates[0]!.open();
    expect([await client.next(), await client.next(), await client.next()]).toEqual(['answer 0', 'answer 1', 'answer 2']);
    expect(counts.most).toBe(1);
  });

  it('in flight when the client goes away run on: a post to the connection gets 410, and $disconnect comes once they finish', async () => {
    const slow = gate<void>();
    const seen: { posted?: unknown; echoFinished: boolean; echoFinishedAtDisconnect?: boolean } = { echoFinished: false };
    let connectionsUrl = '';
    const fake = fakeInvoke({
      echo: async (event) => {
        await slow.opened;
        const post = new PostToConnectionCommand({ ConnectionId: event.requestContext.connectionId, Data: Buffer.from('late') });
        seen.posted = await sdk(connectionsUrl).send(post).catch((error: unknown) => error);
        seen.echoFinished = true;
        return 'late answer';
      },
      disconnect: () => {
        seen.echoFinishedAtDisconnect = seen.echoFinished;
        return { statusCode: 200 };
      },
    });
    const started = await start({ invoke: fake.invoke });
    connectionsUrl = started.connectionsUrl;
    const client = await Client.open(started.url);
    client.send('{"action":"echo"}');
    await fake.invoked('echo');
    client.ws.close(1000, 'bye');
    await until(() => started.gateway.connections().length === 0, 2000, 'the gateway to see the close');
    expect(fake.of('disconnect')).toHaveLength(0);
    slow.open();
    await until(() => fake.of('disconnect').length === 1, 2000, '$disconnect');
    expect(seen.posted).toBeInstanceOf(GoneException);
    expect(seen.echoFinishedAtDisconnect).toBe(true);
    expect(fake.of('disconnect')[0]!.event.requestContext).toMatchObject({ disconnectStatusCode: 1000, disconnectReason: 'bye' });
  });
});
