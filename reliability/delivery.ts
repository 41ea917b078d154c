/**
 * The delivery scenario: subscribers (the SDK's Node entry, half in each of two regions)
 * follow rooms while publishers in both regions send numbered messages with ids, and the
 * local cloud injects faults (fault-plan.ts) and cuts every connection after a compressed
 * maximum duration. At the end the checker judges what every subscriber received.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Publisher } from '@roomcast/client/publisher';
import type { LocalCloud } from '@roomcast/local';
import { Chaos, type FaultCounts } from './chaos.js';
import { check, type Verdict } from './checker.js';
import { queueDepths, REGIONS, startScenarioCloud, stopScenarioCloud, type QueueDepths } from './cloud.js';
import type { DeliverySize } from './delivery-size.js';
import { faultPlan } from './fault-plan.js';
import { publisherFor, publishLogged, publishNumbered, type PublishLog } from './publishers.js';
import { settle } from './settle.js';
import { Subscriber } from './subscriber.js';

export interface RegionFigures {
  region: string;
  /** The functions' own counts (Published, FanoutPlanned, Delivered, Gone, Retried, Throttled, DeadLettered...). */
  counts: Record<string, number>;
  /** Invocations that ended in an error, any cause, per function. */
  functionErrors: Record<string, number>;
  /** What the queues still held at the end. */
  queues: QueueDepths;
}

export interface DeliveryFigures {
  size: DeliverySize;
  verdict: Verdict;
  faults: FaultCounts;
  /** Sockets closed under the subscribers, per close code. */
  closes: Record<string, number>;
  clientErrors: Record<string, number>;
  publishFailures: string[];
  regions: RegionFigures[];
  /** Every subscriber got every message (before stallSeconds passed without a new one); the delivery queues then emptied. */
  caughtUp: boolean;
  drained: boolean;
  seconds: { start: number; join: number; publish: number; catchUp: number; total: number };
  /** How late this process's event loop (the cloud's gateways, HTTP APIs and event sources, and the clients) ran while publishing, in ms. */
  eventLoopDelayMs: { p99: number; max: number };
  /** The cloud's last log lines, for a failed run. */
  logTail: string[];
}

export interface DeliveryRun {
  size: DeliverySize;
  services?: { dynamodb: string; sqs: string };
  progress?(line: string): void;
  /** Every line of the cloud and its functions; default: only the last ones are kept. */
  log?(line: string): void;
}

const FUNCTIONS = ['PublishFunction', 'DeliverFunction', 'StreamFunction', 'PlanFunction'];

/** What the phases of one run share. */
interface Run {
  cloud: LocalCloud;
  size: DeliverySize;
  rooms: string[];
  publishers: Publisher[];
  sent: PublishLog;
  subscribers: Subscriber[];
  now(): number;
  progress(line: string): void;
}

export async function runDelivery({ size, services, progress = () => undefined, log }: DeliveryRun): Promise<DeliveryFigures> {
  const now = () => performance.now();
  const marks = { begun: now(), started: 0, joined: 0, published: 0, caughtUp: 0 };
  const logTail: string[] = [];
  const keep = (line: string): void => {
    log?.(line);
    if (logTail.push(line) > 200) logTail.shift();
  };
  progress(`starting a local cloud in ${REGIONS.join(' and ')}`);
  const cloud = await startScenarioCloud({
    replicationDelayMs: size.faults.replicationDelayMs,
    maxConnectionMs: size.maxConnectionSeconds * 1000,
    visibilityTimeoutSeconds: size.visibilityTimeoutSeconds,
    publishClaimMs: size.publishClaimMs,
    ...(services ? { services } : {}),
    log: keep,
  });
  const run: Run = {
    cloud,
    size,
    rooms: Array.from({ length: size.rooms }, (_, k) => `room-${k}`),
    publishers: cloud.regions.map(publisherFor),
    sent: { published: [], uncertain: new Set(), failures: [] },
    subscribers: [],
    now,
    progress,
  };
  try {
    marks.started = now();
    await openRooms(run);
    await join(run);
    marks.joined = now();
    const delay = monitorEventLoopDelay({ resolution: 20 });
    delay.enable();
    const faults = await publishUnderFaults(run);
    delay.disable();
    marks.published = now();
    progress(`waiting for every subscriber to have every message (giving up after ${size.stallSeconds} s without a new one)`);
    const caughtUp = await settle(() => verdictOf(run).totals.lost === 0, () => verdictOf(run).totals.handed, size.stallSeconds * 1000, 250);
    marks.caughtUp = now();
    const inQueues = async () => sum(await Promise.all(cloud.regions.map(async (region) => { const depths = await queueDepths(region); return depths.delivery + depths.plans; })));
    const drained = await settle(async () => (await inQueues()) === 0, inQueues, size.stallSeconds * 1000, 250);
    // A post under way when the queue emptied reaches its socket at once.
    await sleep(500);
    const verdict = verdictOf(run);
    const { totals } = verdict;
    return {
      size,
      verdict,
      faults,
      closes: tally(run.subscribers.flatMap((s) => [...s.closes])),
      clientErrors: tally(run.subscribers.flatMap((s) => s.errors.map((error) => [error.code, 1] as const))),
      publishFailures: run.sent.failures,
      regions: await Promise.all(cloud.regions.map(regionFigures)),
      caughtUp,
      drained,
      seconds: {
        start: seconds(marks.started - marks.begun),
        join: seconds(marks.joined - marks.started),
        publish: seconds(marks.published - marks.joined),
        catchUp: seconds(marks.caughtUp - marks.published),
        total: seconds(now() - marks.begun),
      },
      eventLoopDelayMs: { p99: Math.round(delay.percentile(99) / 1e6), max: Math.round(delay.max / 1e6) },
      logTail: totals.lost + totals.unexpected + totals.outOfOrder + totals.duplicatesHanded > 0 ? logTail.slice(-100) : [],
    };
  } finally {
    for (const s of run.subscribers) s.close();
    await stopScenarioCloud(cloud);
  }
}

function verdictOf(run: Run): Verdict {
  return check({ published: run.sent.published, uncertain: run.sent.uncertain, subscribers: run.subscribers.map((s) => s.record()) });
}

/** One message per room from each region, in both regions' history: every subscriber's snapshot names both origins. */
async function openRooms(run: Run): Promise<void> {
  const { cloud, rooms, publishers, sent, now } = run;
  await Promise.all(cloud.regions.map((region, r) => Promise.all(rooms.map((room) => publishLogged(publishers[r]!, region.region, room, `open-${region.region}-${room}`, { opener: true }, sent, now)))));
  const everywhere = async () => (await Promise.all(publishers.flatMap((p) => rooms.map((room) => p.history(room))))).every((page) => page.messages.length >= REGIONS.length);
  if (!(await waitFor(everywhere, 60_000))) throw new Error('the first messages did not reach both regions within 60 s');
}

/** Subscribers join one after another: a crowd at once would start an environment of each socket function per client (cold starts). */
async function join(run: Run): Promise<void> {
  const { size, rooms } = run;
  run.progress(`${size.subscribers} subscribers joining ${rooms.length} rooms (${size.roomsPerSubscriber} each), half in each region`);
  for (let i = 0; i < size.subscribers; i += 1) {
    const subscriber = subscriberOf(run, i);
    run.subscribers.push(subscriber);
    const { name, rooms: followed } = subscriber.record();
    if (!(await waitFor(async () => followed.every((room) => subscriber.count(room) >= REGIONS.length), 60_000))) throw new Error(`${name} did not join within 60 s`);
  }
  const joined = run.now();
  for (const s of run.subscribers) s.joinedAt = joined;
}

/** Every publisher's numbered messages, the fault plan's steps taken as the publishing crosses their marks. */
async function publishUnderFaults(run: Run): Promise<FaultCounts> {
  const { cloud, size, progress, now } = run;
  const total = REGIONS.length * size.publishersPerRegion * size.messagesPerPublisher;
  const plan = faultPlan(size.rounds, size.faults);
  const started = now();
  let done = 0;
  let failure: unknown;
  const chaos = new Chaos(
    cloud.regions.map((region) => region.info.controlUrl),
    plan,
    (step) => progress(`  ${step.undo ? 'ends' : 'fault'} ${step.kind} in ${REGIONS[step.region]} ${JSON.stringify(step.request)}`),
  );
  progress(`publishing ${total} messages (${size.publishersPerRegion} publishers per region), ${plan.length} fault steps on the way`);
  const ticker = setInterval(() => {
    const { totals } = verdictOf(run);
    progress(`  ${seconds(now() - started)} s: ${done}/${total} published, the apps have ${totals.handed}/${totals.expected}, ${totals.outages} connections lost`);
  }, 2000);
  try {
    await Promise.all(
      cloud.regions.flatMap((region, r) =>
        Array.from({ length: size.publishersPerRegion }, (_, p) =>
          publishNumbered({
            publisher: run.publishers[r]!,
            origin: region.region,
            name: `${region.region}-p${p}`,
            rooms: run.rooms,
            offset: p,
            count: size.messagesPerPublisher,
            paceMs: size.paceMs,
            log: run.sent,
            now,
            onDone: () => void chaos.advance(++done / total).catch((error: unknown) => (failure ??= error)),
          }),
        ),
      ),
    );
    const faults = await chaos.finish();
    if (failure) throw failure;
    return faults;
  } finally {
    clearInterval(ticker);
  }
}

/** Subscriber i: region i % 2; rooms i .. i + roomsPerSubscriber - 1 (mod rooms); every other pair refreshes its socket before the cut. */
function subscriberOf({ cloud, rooms, size, now }: Run, i: number): Subscriber {
  const region = cloud.regions[i % cloud.regions.length]!;
  const cutMs = size.maxConnectionSeconds * 1000;
  // The SDK's default refresh, 100 to 115 min into a 120 min connection, compressed the same way.
  const refresh = Math.floor(i / 2) % 2 === 0 ? { minMs: (cutMs * 100) / 120, maxMs: (cutMs * 115) / 120 } : false;
  return new Subscriber({
    name: `s${i}@${region.region}`,
    url: region.info.wsUrl,
    token: region.info.token,
    rooms: Array.from({ length: size.roomsPerSubscriber }, (_, j) => rooms[(i + j) % rooms.length]!),
    refresh,
    now,
  });
}

async function regionFigures(region: LocalCloud['regions'][number]): Promise<RegionFigures> {
  return {
    region: region.region,
    counts: region.metrics.snapshot().counts,
    functionErrors: Object.fromEntries(FUNCTIONS.map((id) => [id, region.runtime.stats(id).errors])),
    queues: await queueDepths(region),
  };
}

/** Polls until `ready` holds (true) or `timeoutMs` has passed (false). */
async function waitFor(ready: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!(await ready())) {
    if (performance.now() > deadline) return false;
    await sleep(250);
  }
  return true;
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/** Sums counts by key. */
function tally(entries: ReadonlyArray<readonly [string | number, number]>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, n] of entries) counts[key] = (counts[key] ?? 0) + n;
  return counts;
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;
