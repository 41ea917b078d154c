/**
 * Active-active on one machine: two regions with replication between them. A client fails
 * over from a stopped region and ends with exactly what was published; the replication
 * delay shows in the other region's DeliveryLatency; publishing in both regions at once
 * loses nothing and leaves both with the same history.
 */
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type RoomcastClient, type RoomMessage } from '../../client/sdk/node.js';
import type { RegionCloud } from '../../local/cloud.js';
import { seqOf } from '../support/positions.js';
import { services } from './services.js';
import { cloudForFile, eventually, publish, Socket } from './support.js';

const cloud = cloudForFile({ regions: ['eu-west-1', 'us-east-1'] });
const clients: RoomcastClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const region of cloud().regions) await faults(region, 'DELETE');
});

function regions(): [RegionCloud, RegionCloud] {
  const [eu, us] = cloud().regions;
  return [eu!, us!];
}

function faults(region: RegionCloud, method: 'POST' | 'DELETE', body?: unknown): Promise<unknown> {
  const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  return fetch(`${region.info.controlUrl}/faults`, init).then((response) => response.json());
}

/** A client over both regions' endpoints, the first one first, collecting what a room delivers. */
function client(room: string, first: RegionCloud, second: RegionCloud) {
  const got: RoomMessage[] = [];
  const tokens = new Map([first, second].map((region) => [region.info.wsUrl, region.info.token]));
  const roomcast = connect({
    url: [first.info.wsUrl, second.info.wsUrl],
    failoverAfter: 2,
    backoff: { baseMs: 50, capMs: 500 },
    getToken: ({ url }) => tokens.get(url)!,
  });
  clients.push(roomcast);
  roomcast.subscribe(room, (message) => got.push(message), { snapshot: true });
  return { roomcast, got, ids: () => got.map((message) => message.id) };
}

/** A room's history in one region's replica, in position order. */
async function historyIn(region: RegionCloud, room: string): Promise<{ id: string; pos: string }[]> {
  const table = region.model.tables.find((item) => item.logicalId === 'MessagesTable')!.name;
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await services(region).dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :room AND sk >= :first',
        ExpressionAttributeValues: { ':room': { S: room }, ':first': { S: '0' } },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.map((item) => ({ id: item.id!.S!, pos: item.sk!.S! }));
}

const byOrigin = (ids: readonly string[], origin: string) => ids.filter((id) => id.startsWith(`${origin}-`));

/** Publish as a publisher should: retry the same id while the answer is retryable (429, 409, 5xx). */
async function publishedSurely(region: RegionCloud, room: string, data: unknown, id: string): Promise<{ room: string; id: string; pos: string }> {
  for (let attempt = 1; ; attempt += 1) {
    const response = await publish(region, room, { data, id });
    const text = await response.text();
    if (response.status === 202) return JSON.parse(text);
    if (attempt >= 20 || !(response.status === 409 || response.status === 429 || response.status >= 500)) throw new Error(`publish answered ${response.status}: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

describe('active-active across two regions', () => {
  it('a client fails over from a stopped region to the other and ends with the exact published sequence', async () => {
    const [eu, us] = regions();
    const room = 'aa:failover';
    // Slow replication both ways: when the client moves, each region holds messages the
    // other has not received yet.
    await faults(eu, 'POST', { replicationDelayMs: 400 });
    await faults(us, 'POST', { replicationDelayMs: 400 });
    const { roomcast, ids } = client(room, eu, us);
    const sent: string[] = [];
    const publishIn = async (region: RegionCloud, name: string, n: number) => {
      const id = `${name}-${n}`;
      await publishedSurely(region, room, { n }, id);
      sent.push(id);
    };
    await publishIn(eu, 'eu', 0);
    await eventually(async () => ids().includes('eu-0'), 'the first message in eu-west-1');
    for (let n = 1; n <= 10; n += 1) {
      await publishIn(eu, 'eu', n);
      await publishIn(us, 'us', n);
    }
    expect(await faults(eu, 'POST', { down: true })).toMatchObject({ down: true });
    for (let n = 11; n <= 20; n += 1) {
      await publishIn(eu, 'eu', n);
      await publishIn(us, 'us', n);
    }
    // A busy machine can take minutes to drain retries after the fault: wait on, and say what is missing.
    await eventually(async () => ids().length >= sent.length, `all ${sent.length} messages`, 240_000).catch((error: Error) => {
      throw new Error(`${error.message}; missing: ${sent.filter((id) => !ids().includes(id)).join(', ')}`);
    });
    expect(roomcast.endpoint).toBe(us.info.wsUrl);
    expect(new Set(ids()).size).toBe(ids().length);
    expect(byOrigin(ids(), 'eu')).toEqual(byOrigin(sent, 'eu'));
    expect(byOrigin(ids(), 'us')).toEqual(byOrigin(sent, 'us'));
    expect([...ids()].sort()).toEqual([...sent].sort());
  }, 300_000);

  it('the replication delay shows up in DeliveryLatency for subscribers in the other region', async () => {
    const [eu, us] = regions();
    const room = 'aa:latency';
    const DELAY_MS = 700;
    const remote = await Socket.open(us);
    await remote.subscribe([room]);
    await faults(eu, 'POST', { replicationDelayMs: DELAY_MS });
    us.metrics.reset();
    const sent = await publishedSurely(eu, room, { far: true }, 'far-1');
    await remote.waitFor((frame) => frame.type === 'message' && frame.id === sent.id, 'the message from eu-west-1');
    await eventually(async () => (us.metrics.snapshot().latencies.DeliveryLatency?.count ?? 0) > 0, 'DeliveryLatency in us-east-1');
    const latency = us.metrics.snapshot().latencies.DeliveryLatency!;
    expect(latency.max).toBeGreaterThanOrEqual(DELAY_MS);
    expect(latency.quantiles['0.5']).toBeGreaterThanOrEqual(DELAY_MS);
    await remote.close();
  });

  it('publishing in both regions at once to one room loses nothing, and both regions end with the same history', async () => {
    const [eu, us] = regions();
    const room = 'aa:both';
    const PER_REGION = 25;
    const inEu = client(room, eu, us);
    const inUs = client(room, us, eu);
    // An id names one message in the whole stack: this test's ids are its own.
    const start = await publishedSurely(eu, room, { start: true }, 'both-start');
    await eventually(async () => inEu.ids().includes('both-start') && inUs.ids().includes('both-start'), 'both clients subscribed', 60_000);
    // Both regions at once, three requests in flight in each (as many as the local
    // functions' concurrency takes without answering 500 for throttling).
    const inFlight = 3;
    const publishing = ([eu, us] as const).flatMap((region, r) =>
      Array.from({ length: inFlight }, async (_, worker) => {
        const answers = [];
        for (let n = worker; n < PER_REGION; n += inFlight) answers.push(await publishedSurely(region, room, { n }, `both-${r === 0 ? 'eu' : 'us'}-${n}`));
        return answers;
      }),
    );
    const answers = [start, ...(await Promise.all(publishing)).flat()];
    const all = answers.map((answer) => answer.id);
    for (const origin of ['eu-west-1', 'us-east-1']) {
      const seqs = answers.filter((answer) => answer.pos.includes(`.${origin}.`)).map((answer) => seqOf(answer.pos));
      expect(seqs.sort((a, b) => a - b), `${origin} numbers its own messages densely`).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(seqs.length).toBeGreaterThanOrEqual(PER_REGION);
    }
    await eventually(async () => (await historyIn(eu, room)).length === all.length && (await historyIn(us, room)).length === all.length, 'both histories complete', 180_000);
    const [euHistory, usHistory] = [await historyIn(eu, room), await historyIn(us, room)];
    expect(usHistory).toEqual(euHistory);
    expect(euHistory.map((item) => item.id).sort()).toEqual([...all].sort());
    for (const subscriber of [inEu, inUs]) {
      await eventually(async () => subscriber.ids().length >= all.length, 'every message delivered', 180_000);
      expect([...subscriber.ids()].sort()).toEqual([...all].sort());
      for (const origin of ['eu-west-1', 'us-east-1']) {
        const positions = subscriber.got.filter((message) => message.pos.includes(`.${origin}.`)).map((message) => seqOf(message.pos));
        expect(positions, `${origin} in publish order`).toEqual([...positions].sort((a, b) => a - b));
      }
    }
  }, 300_000);
});
