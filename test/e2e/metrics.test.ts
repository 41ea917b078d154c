/**
 * The counts add up, locally. Subscribers in one room, one of them gone without
 * `$disconnect`, PostToConnection answering 500 to a share of the posts while messages are
 * published: once the delivery queue has drained, the local cloud's counts (read from the
 * functions' EMF lines) satisfy `FanoutPlanned = Delivered + Gone + Failed`, agree with what
 * each socket received and with the jobs in the delivery DLQ, and `/metrics` says the same
 * in Prometheus text. The console page's pipeline panel shows them too (headless Chromium,
 * when installed; its screenshots are kept as test/artifacts/pipeline.png and
 * pipeline-360.png). The functions' EMF lines stay out of the printed log unless asked.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { LATENCIES, parseEmf, PATH_STAGES, type MetricsSnapshot } from '../../local/metrics/index.js';
import { services } from './services.js';
import { cloudForFile, eventually, newConnectionId, PATIENCE_MS, published, Socket, startCloud } from './support.js';
import { CHROMIUM, launchChromium } from '../support/browser.js';

const ROOM = 'metrics:pipeline';
/** Messages published, and subscribers of the room (the first of them leaves once they are published). */
const P = 20;
const S = 5;
const FAULTY_SHARE = 0.3;
/** How long each post waits while the messages are published: well under the deliver function's POST_TIMEOUT_MS (3 s). */
const HOLD_MS = 1000;

const printed: string[] = [];
// One job attempt: a connection whose three posts of an invocation (POST_ATTEMPTS) all fail
// is given up at once (Failed, its job in the DLQ) instead of minutes later, so that every
// outcome can occur within the test.
const cloud = cloudForFile({
  functionEnv: { DeliverFunction: { DELIVERY_MAX_ATTEMPTS: '1' } },
  functionLog: (fn, line) => {
    printed.push(line);
    if (process.env.ROOMCAST_E2E_LOGS) process.stderr.write(`[${fn}] ${line}\n`);
  },
});

const artifacts = fileURLToPath(new URL('../artifacts', import.meta.url));

interface DeliveryJob {
  id: string;
  connections: string[];
}

async function faults(method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
  const response = await fetch(`${cloud().info.controlUrl}/faults`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  expect(response.status).toBe(200);
}

async function snapshot(): Promise<MetricsSnapshot> {
  const response = await fetch(`${cloud().info.controlUrl}/metrics`);
  expect(response.status).toBe(200);
  return (await response.json()) as MetricsSnapshot;
}

/** Messages in a queue: waiting, in flight and delayed. */
async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
  return names.reduce((sum, name) => sum + Number(Attributes[name] ?? 0), 0);
}

/** The counts once the delivery queue is empty and they no longer change (read every 100 ms, the same 5 times in a row). */
async function settled(sqs: SQSClient, published: number): Promise<MetricsSnapshot> {
  const deadline = Date.now() + 3 * PATIENCE_MS;
  let last = '';
  let same = 0;
  for (;;) {
    const current = await snapshot();
    const key = JSON.stringify(current.counts);
    const quiet = current.counts.Published === published && (await depth(sqs, cloud().info.outputs.DeliveryQueueUrl!)) === 0;
    same = quiet && key === last ? same + 1 : 0;
    last = key;
    if (same >= 4) return current;
    if (Date.now() > deadline) throw new Error(`the counts did not settle: ${key}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every job in the delivery DLQ (kept invisible for the rest of the test). */
async function deadLetters(sqs: SQSClient): Promise<DeliveryJob[]> {
  const queueUrl = cloud().info.outputs.DeliveryDlqUrl!;
  const expected = await depth(sqs, queueUrl);
  const jobs: DeliveryJob[] = [];
  const deadline = Date.now() + PATIENCE_MS;
  while (jobs.length < expected) {
    if (Date.now() > deadline) throw new Error(`read ${jobs.length} of the ${expected} jobs in the delivery DLQ`);
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300, WaitTimeSeconds: 1 }));
    jobs.push(...Messages.map((message) => JSON.parse(message.Body ?? '{}') as DeliveryJob));
  }
  return jobs;
}

/** `name value` lines of Prometheus text (labels kept in the name). */
function prometheusValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\S+) (\S+)$/.exec(line);
    if (match && !line.startsWith('#')) values.set(match[1]!, Number(match[2]));
  }
  return values;
}

const sorted = (ids: string[]): string[] => [...ids].sort();

describe('the counts add up', () => {
  let settledCounts: MetricsSnapshot | undefined;

  it('Published x subscribers = Delivered + Gone + Failed, with posts dropped, retried and gone', async () => {
    const gateway = cloud().servers.gateway!.gateway;
    const { sqs } = services(cloud());
    const subscribers: Array<{ socket: Socket; connectionId: string }> = [];
    for (let i = 0; i < S; i += 1) {
      const before = gateway.connections();
      const socket = await Socket.open(cloud());
      const connectionId = newConnectionId(cloud(), before);
      await socket.subscribe([ROOM]);
      expect(socket.frames.at(-1)).toEqual({ type: 'subscribed', rooms: [ROOM] });
      subscribers.push({ socket, connectionId });
    }
    const [gone, ...live] = subscribers as [(typeof subscribers)[number], ...typeof subscribers];

    // Posts wait HOLD_MS, then a share of them answer 500. Once every message is planned for
    // all S subscribers, one of them leaves without `$disconnect`: its subscription stays, so
    // its posts still pending answer 410 (Gone) and remove it.
    await faults('POST', { post: { status: 500, share: FAULTY_SHARE }, postDelayMs: HOLD_MS, dropDisconnect: true });
    const started = Date.now();
    const ids: string[] = [];
    for (let n = 0; n < P; n += 1) ids.push((await published(cloud(), ROOM, { n }, `metrics-${n}`)).id);
    const publishedInMs = Date.now() - started;
    await gone.socket.close();
    await eventually(async () => !gateway.connections().includes(gone.connectionId), 'the gateway to drop the closed socket');
    await faults('POST', { postDelayMs: 0 });

    // One attempt per job: nothing is retried after its invocation, so once the queue is empty the faults can go.
    const { counts, delivery, latencies } = await settled(sqs, P);
    await faults('DELETE');
    const jobs = await deadLetters(sqs);
    const deadLetteredFor = (connectionId: string): string[] => jobs.filter((job) => job.connections.includes(connectionId)).map((job) => job.id);
    const received = (socket: Socket): string[] => socket.messages(ROOM).map((frame: { id: string }) => frame.id);
    const receivedByAll = (): number => subscribers.reduce((sum, { socket }) => sum + received(socket).length, 0);
    await eventually(async () => receivedByAll() >= counts.Delivered!, 'the sockets to get every delivered frame');
    if (process.env.ROOMCAST_E2E_LOGS) process.stderr.write(`settled: ${JSON.stringify({ publishedInMs, counts, delivery, latencies, deadLetteredJobs: jobs.length, goneReceived: received(gone.socket).length })}\n`);

    // The identity, and the gap closed.
    expect(counts.Published).toBe(P);
    expect(counts.FanoutPlanned).toBe(P * S);
    expect(counts.Delivered! + counts.Gone! + counts.Failed!).toBe(counts.FanoutPlanned);
    expect(delivery).toEqual({ planned: P * S, delivered: counts.Delivered, gone: counts.Gone, failed: counts.Failed, conflated: 0, unaccounted: 0 });
    // Retries happened (30% of posts answered 500), and are effort, not outcomes: counted apart.
    expect(counts.Retried).toBeGreaterThan(0);
    expect(counts.Throttled).toBe(0);
    expect(counts.JobsEnqueued).toBeGreaterThanOrEqual(P);
    expect(counts.Gone).toBeGreaterThan(0);

    // Failed and DeadLettered are what the DLQ holds.
    expect(jobs.length).toBe(counts.DeadLettered);
    expect(jobs.reduce((sum, job) => sum + job.connections.length, 0)).toBe(counts.Failed);

    // Delivered is what the sockets got: each message exactly once, except those given up
    // on for it (in the DLQ). The gone one got some before it left; the rest of its posts were Gone or Failed.
    expect(receivedByAll()).toBe(counts.Delivered);
    for (const { socket, connectionId } of live) {
      const got = received(socket);
      expect(new Set(got).size).toBe(got.length);
      expect(sorted([...got, ...deadLetteredFor(connectionId)])).toEqual(sorted(ids));
    }
    const goneGot = received(gone.socket);
    expect(new Set([...goneGot, ...deadLetteredFor(gone.connectionId)]).size).toBe(goneGot.length + deadLetteredFor(gone.connectionId).length);
    expect(goneGot.length + counts.Gone! + deadLetteredFor(gone.connectionId).length).toBe(P);

    // Latencies: every publish, and every job attempt that delivered.
    expect(latencies.PublishLatency!.count).toBe(P);
    for (const name of LATENCIES) {
      const { count, quantiles, max } = latencies[name]!;
      expect(count, name).toBeGreaterThan(0);
      expect(quantiles['0.5'], name).toBeGreaterThan(0);
      expect(quantiles['0.99'], name).toBeGreaterThanOrEqual(quantiles['0.5']!);
      expect(max, name).toBeGreaterThanOrEqual(quantiles['0.99']!);
    }

    // Prometheus text: the same numbers.
    const response = await fetch(`${cloud().info.consoleUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const values = prometheusValues(await response.text());
    const expected: Record<string, number | undefined> = {
      roomcast_published_total: counts.Published,
      roomcast_fanout_planned_total: counts.FanoutPlanned,
      roomcast_jobs_enqueued_total: counts.JobsEnqueued,
      roomcast_delivered_total: counts.Delivered,
      roomcast_gone_total: counts.Gone,
      roomcast_failed_total: counts.Failed,
      roomcast_dead_lettered_total: counts.DeadLettered,
      roomcast_retried_total: counts.Retried,
      roomcast_throttled_total: counts.Throttled,
      roomcast_delivery_unaccounted: 0,
      roomcast_delivery_latency_milliseconds_count: latencies.DeliveryLatency!.count,
      'roomcast_delivery_latency_milliseconds{quantile="0.99"}': latencies.DeliveryLatency!.quantiles['0.99'],
      roomcast_publish_latency_milliseconds_count: P,
      'roomcast_publish_latency_milliseconds{quantile="0.5"}': latencies.PublishLatency!.quantiles['0.5'],
    };
    expect(Object.fromEntries(Object.keys(expected).map((name) => [name, values.get(name)]))).toEqual(expected);

    // The connections' counts: the gone socket never had its `$disconnect`.
    expect(counts).toMatchObject({ Connected: S, Subscribed: S, Disconnected: 0 });
    await Promise.all(live.map(({ socket }) => socket.close()));
    await eventually(async () => (await snapshot()).counts.Disconnected === S - 1, `${S - 1} $disconnect counts`);
    settledCounts = await snapshot();
  }, 90_000);

  it('counted the EMF lines of the publishes above, and printed none of them', () => {
    expect(cloud().metrics.snapshot().counts.Published).toBe(P);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.filter((line) => parseEmf(line) !== undefined)).toEqual([]);
  });

  it.skipIf(!CHROMIUM)('shows the same counts in the console page\'s pipeline panel', async () => {
    const counts = settledCounts?.counts;
    if (!settledCounts || !counts) throw new Error('the counts did not settle in the test before');
    const browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    try {
      const { page } = browser;
      page.setDefaultTimeout(PATIENCE_MS);
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      const cell = (key: string) => page.locator(`#pipeline td[data-metric="${key}"]`);
      await page.goto(cloud().info.consoleUrl);
      await cell('Published').filter({ hasText: new RegExp(`^${P}$`) }).waitFor();
      // Nothing is published while the page looks: the path's counts and the latencies stay as they settled.
      for (const stage of PATH_STAGES) expect(await cell(stage).textContent(), stage).toBe(String(counts[stage]));
      expect(await cell('unaccounted').textContent()).toBe('0');
      const { DeliveryLatency, PublishLatency } = settledCounts.latencies;
      expect(await cell('DeliveryLatency:values').textContent()).toBe(String(DeliveryLatency!.count));
      expect(await cell('PublishLatency:p99').textContent()).toBe(String(Math.round(PublishLatency!.quantiles['0.99']!)));
      // Every number has a row and a column header, and the gap its words.
      expect(await page.locator('#pipeline th[scope="col"]').allTextContents()).toEqual(['Stage', 'Count', 'What it counts', 'Stage', 'Count', 'What it counts', 'Statistic', ...LATENCIES]);
      expect(await page.locator('#pipeline tfoot th').textContent()).toBe('In flight or lost');
      expect(await page.locator('#pipeline-status').textContent()).toMatch(/^Counts since the local cloud started/);
      await mkdir(artifacts, { recursive: true });
      await page.locator('.pipeline').screenshot({ path: `${artifacts}/pipeline.png` });
      await page.setViewportSize({ width: 360, height: 800 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.locator('.pipeline').screenshot({ path: `${artifacts}/pipeline-360.png` });
      expect(pageErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('showMetrics', () => {
  it('prints the EMF lines too, and still counts them', async () => {
    const lines: string[] = [];
    const shown = await startCloud({ showMetrics: true, functionLog: (_fn, line) => lines.push(line) });
    try {
      const socket = await Socket.open(shown);
      await eventually(async () => shown.metrics.snapshot().counts.Connected === 1, 'the Connected count');
      await eventually(async () => lines.some((line) => parseEmf(line)?.some((sample) => sample.name === 'Connected')), 'a printed EMF line with Connected');
      await socket.close();
    } finally {
      await shown.stop();
    }
  }, 60_000);
});
