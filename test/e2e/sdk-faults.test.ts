/**
 * The client SDK against the local cloud under faults. Six clients, each following two of
 * three rooms through the real SDK over real sockets, while the publisher client streams
 * numbered messages and the gateway, mid-stream, drops every socket (twice), answers a share
 * of PostToConnection calls with 500 and then 429, and no longer runs `$disconnect`. Every
 * client must end with exactly the published sequence of each room it follows: no loss, no
 * duplicates, in order, as the app's callbacks received it. The SDK keeps no count of what
 * it dropped, so the clients' sockets (`ws`, given through the SDK's `WebSocket` option) tally
 * every message they carry, duplicates included.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { createPublisher, type PublishResult } from '../../client/publisher/index.js';
import { connect, type ClientState, type RoomcastClient, type RoomcastClientError, type RoomMessage } from '../../client/sdk/node.js';
import type { LocalCloud } from '../../local/cloud.js';
import { tappedWebSocket } from '../../reliability/tapped-socket.js';
import { services } from './services.js';
import { cloudForFile, eventually } from './support.js';

const cloud = cloudForFile();

const ROOMS = ['alpha', 'beta', 'gamma'];
/** Each client follows two rooms; every room has four followers. */
const FOLLOWS = [
  ['alpha', 'beta'],
  ['beta', 'gamma'],
  ['alpha', 'gamma'],
  ['alpha', 'beta'],
  ['beta', 'gamma'],
  ['alpha', 'gamma'],
];
/** Messages per room; the first ones are published before the clients join (their snapshot). */
const PER_ROOM = 40;
const BEFORE_JOIN = 5;
/** Pause between two steps of the stream (one message to each room per step). */
const PACE_MS = 60;
/**
 * How long a phase may take on a busy machine: six clients connecting at once start six
 * environments of the authorizer and of the connect and subscribe functions (cold starts).
 */
const CATCH_UP_MS = 60_000;

const idOf = (room: string, n: number): string => `${room}-${n}`;

/** What one client's app got, and what its sockets carried before the SDK dropped duplicates. */
interface Follower {
  client: RoomcastClient;
  rooms: string[];
  delivered: Map<string, RoomMessage<{ n: number }>[]>;
  /** Message instances the sockets carried per room (live frames and snapshot entries). */
  seen: Map<string, string[]>;
  states: ClientState[];
  errors: RoomcastClientError[];
}

/** Every message a socket carries, tallied per room before the SDK sees it. */
function tally(seen: Map<string, string[]>): (text: string) => void {
  return (text) => {
    const frame = JSON.parse(text);
    if (frame.type === 'message') seen.get(frame.room)?.push(frame.id);
    if (frame.type === 'snapshot') for (const message of frame.messages) seen.get(frame.room)?.push(message.id);
  };
}

function follower(cloud: LocalCloud, rooms: string[]): Follower {
  const seen = new Map(rooms.map((room) => [room, [] as string[]]));
  const client = connect({ url: cloud.info.wsUrl, token: cloud.info.token, WebSocket: tappedWebSocket({ frame: tally(seen) }) });
  const me: Follower = { client, rooms, delivered: new Map(), seen, states: [], errors: [] };
  client.on('state', (state) => me.states.push(state));
  client.on('error', (error) => me.errors.push(error));
  for (const room of rooms) {
    const got: RoomMessage<{ n: number }>[] = [];
    me.delivered.set(room, got);
    client.subscribe<{ n: number }>(room, (message) => got.push(message), { snapshot: true, onError: (error) => me.errors.push(error) });
  }
  return me;
}

const faults = async (cloud: LocalCloud, body: unknown): Promise<void> => {
  const response = await fetch(`${cloud.info.controlUrl}/faults`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  if (response.status !== 200) throw new Error(`faults ${JSON.stringify(body)} answered ${response.status}: ${await response.text()}`);
};

const count = (follower: Follower, room: string): number => follower.delivered.get(room)!.length;

describe('the client SDK under faults', () => {
  it(
    'every client ends with exactly the published sequence of each room it follows',
    async () => {
      const started = performance.now();
      const { info } = cloud();
      const publisher = createPublisher({
        endpoint: info.publishUrl,
        region: info.region,
        credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
      });
      const published = new Map<string, PublishResult[]>(ROOMS.map((room) => [room, []]));
      /** One message to every room (rooms in parallel, each room's messages in order). */
      const step = async (n: number): Promise<void> => {
        await Promise.all(
          ROOMS.map(async (room) => {
            published.get(room)!.push(await publisher.publish(room, { n }, { id: idOf(room, n) }));
          }),
        );
      };
      const allOpen = () => eventually(async () => followers.every((f) => f.client.state === 'open'), 'every client to be open', CATCH_UP_MS);
      const injected: string[] = [];
      /** Faults put in force right before the message of this number is published. */
      const faultsBefore: Record<number, { what: string; body: unknown; first?: () => Promise<void> }> = {
        [BEFORE_JOIN + 1]: { what: '$disconnect dropped', body: { dropDisconnect: true } },
        10: { what: 'sockets dropped', body: { dropSockets: true } },
        14: { what: 'a share of 0.3 of posts answer 500', body: { post: { status: 500, share: 0.3 } } },
        19: { what: 'a share of 0.3 of posts answer 429', body: { post: { status: 429, share: 0.3 } } },
        // Every client is back first, so that each one loses its socket twice.
        24: { what: 'sockets dropped', body: { dropSockets: true }, first: allOpen },
        29: { what: 'posts healthy', body: { post: { status: 500, share: 0 } } },
      };

      for (let n = 1; n <= BEFORE_JOIN; n += 1) await step(n);
      const prepublished = performance.now();
      const followers = FOLLOWS.map((rooms) => follower(cloud(), rooms));
      try {
        await eventually(
          async () => followers.every((f) => f.client.state === 'open' && f.rooms.every((room) => count(f, room) === BEFORE_JOIN)),
          'every client to receive its snapshots',
          CATCH_UP_MS,
        );
        const joined = performance.now();

        for (let n = BEFORE_JOIN + 1; n <= PER_ROOM; n += 1) {
          const fault = faultsBefore[n];
          if (fault) {
            await fault.first?.();
            await faults(cloud(), fault.body);
            injected.push(`${fault.what} before ${n}`);
          }
          await step(n);
          await new Promise((resolve) => setTimeout(resolve, PACE_MS));
        }
        const streamed = performance.now();

        await eventually(
          async () => followers.every((f) => f.rooms.every((room) => count(f, room) >= PER_ROOM)),
          'every client to catch up with every room it follows',
          CATCH_UP_MS,
        ).catch((error) => {
          const counts = followers.map((f) => f.rooms.map((room) => `${room}:${count(f, room)}`).join(' '));
          throw new Error(`${(error as Error).message}; delivered: ${counts.join(' | ')}`);
        });
        const caughtUp = performance.now();
        // Nothing is left to deliver: a late duplicate would have reached the clients by now.
        const { sqs } = services(cloud());
        await eventually(async () => {
          const { Attributes = {} } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: info.outputs.DeliveryQueueUrl!,
              AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
            }),
          );
          return Object.values(Attributes).every((value) => value === '0');
        }, 'the delivery queue to drain', CATCH_UP_MS);

        // The publisher stored each room's messages in order, each once.
        for (const room of ROOMS) {
          const results = published.get(room)!;
          expect(results.map((result) => result.id)).toEqual(Array.from({ length: PER_ROOM }, (_, i) => idOf(room, i + 1)));
          expect(new Set(results.map((result) => result.pos)).size).toBe(PER_ROOM);
          expect([...results.map((result) => result.pos)].sort()).toEqual(results.map((result) => result.pos));
        }
        let seenTotal = 0;
        let deliveredTotal = 0;
        for (const [index, f] of followers.entries()) {
          for (const room of f.rooms) {
            const got = f.delivered.get(room)!;
            const label = `client ${index}, room ${room}`;
            expect(got.map((message) => message.id), label).toEqual(published.get(room)!.map((result) => result.id));
            expect(got.map((message) => message.pos), label).toEqual(published.get(room)!.map((result) => result.pos));
            expect(got.map((message) => message.data.n), label).toEqual(Array.from({ length: PER_ROOM }, (_, i) => i + 1));
            expect(got.every((message) => message.room === room), label).toBe(true);
            // The sockets carried every message at least once, duplicates included.
            const seen = f.seen.get(room)!;
            expect(new Set(seen), label).toEqual(new Set(got.map((message) => message.id)));
            seenTotal += seen.length;
            deliveredTotal += got.length;
          }
          // Each client lost its socket twice (or more) and is open again.
          expect(f.states.filter((state) => state === 'reconnecting').length, `client ${index} states ${f.states.join(',')}`).toBeGreaterThanOrEqual(2);
          expect(f.client.state).toBe('open');
          // Only retryable errors (API Gateway's 500 answering a subscribe, a throttle) may show.
          expect(f.errors.filter((error) => !error.retryable).map((error) => `${error.code}: ${error.message}`), `client ${index}`).toEqual([]);
        }
        const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
        console.info(
          `sdk-faults: ${followers.length} clients, ${ROOMS.length} rooms x ${PER_ROOM} messages; ${injected.join(', ')}; ` +
            `the sockets carried ${seenTotal} messages, the apps got ${deliveredTotal} (${seenTotal - deliveredTotal} duplicates dropped); ` +
            `errors: ${followers.flatMap((f) => f.errors.map((error) => error.code)).join(',') || 'none'}; ` +
            `times: first messages ${seconds(prepublished - started)}, join ${seconds(joined - prepublished)}, ` +
            `stream ${seconds(streamed - joined)}, catch-up ${seconds(caughtUp - streamed)}`,
        );
      } finally {
        await fetch(`${cloud().info.controlUrl}/faults`, { method: 'DELETE' });
        for (const f of followers) f.client.close();
      }
    },
    240_000,
  );
});
