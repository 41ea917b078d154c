/**
 * Subscribe storm: S sockets already open each send one subscribe with a snapshot to the
 * same room, spread evenly over a window (2,000 in one second by default), and send it
 * again after a refusal as the client SDK does. Measured: the time from sending the first
 * subscribe to receiving the snapshot, and the history reads (Query calls on the messages
 * table) the storm caused, where the target can count them.
 */
import { backoffDelay } from '@roomcast/client/publisher';
import { BenchSocket, describeError, isError, isRetryable } from './bench-socket.js';
import { cpuNow, cpuPerUnit, ownSample, watchMemory, type MemoryPeaks, type ProcessProbe } from './process-probes.js';
import { every, paced, sleep } from './paced.js';
import { messageData } from './publishing.js';
import { summarize, type LatencySummary } from './stats.js';
import type { BenchTarget } from './targets.js';

export interface StormOptions {
  subscribers: number;
  windowMs: number;
  /** Messages asked for in each snapshot. */
  snapshot: number;
  /** Messages published to the room before the storm. */
  history: number;
  messageBytes: number;
  room: string;
  open: { perSecond: number; concurrency: number };
  progress(line: string): void;
}

export interface StormResult {
  subscribers: number;
  windowMs: number;
  snapshot: number;
  history: number;
  open: { ms: number; perSecond: number };
  /** How long sending every subscribe took (the window, unless this process fell behind). */
  sentInMs: number;
  snapshots: number;
  /** Snapshots with fewer messages than asked for and published. */
  short: number;
  /** Subscribers with no snapshot after every attempt. */
  failed: number;
  /** Subscribers whose first subscribe was refused, and subscribes sent in all. */
  retried: number;
  attempts: number;
  /** Refusals by kind, every attempt's. */
  errors: Record<string, number>;
  /** From sending a subscriber's first subscribe to receiving its snapshot, retries included. */
  latencyMs: LatencySummary | null;
  /** From the first subscribe sent to the last snapshot received. */
  durationMs: number;
  subscribesPerSecond: number;
  /** Query calls on the messages table during the storm; null where they cannot be counted. */
  historyReads: number | null;
  historyReadsPerSecond: number | null;
  /** CPU milliseconds each process used per snapshot served, from the first subscribe to the last snapshot (Linux). */
  cpuMsPerSubscribe: Record<string, number>;
  memory: MemoryPeaks;
}

const ANSWER_MS = 180_000;
const ATTEMPTS = 8;
/** The client SDK's reconnect and retry backoff (client/sdk: 500 ms doubling, up to 30 s, full jitter). */
const SDK_BACKOFF = { attempts: ATTEMPTS, baseMs: 500, capMs: 30_000 };

interface Outcome {
  sentAt: number;
  at: number;
  attempts: number;
  /** The refusals before the snapshot (or before giving up). */
  errors: string[];
  short: boolean;
  failed?: true;
}
/**
 * Subscribes at once before the storm, to another (empty) room, which those sockets keep:
 * the subscribe function's
 * environments are started (as on a stage that serves traffic), so the storm measures
 * serving subscribes rather than cold starts.
 */
const WARMUP_SOCKETS = 20;

export async function runStorm(target: BenchTarget, options: StormOptions): Promise<StormResult> {
  const { subscribers, room, progress } = options;
  const memory = watchMemory(target.probes);
  const sockets: BenchSocket[] = [];
  let result: Omit<StormResult, 'memory'>;
  let peaks: MemoryPeaks = {};
  try {
    const opened = performance.now();
    const done = every(3000, (count) => progress(`${count.toLocaleString('en-US')} of ${subscribers.toLocaleString('en-US')} sockets open`), subscribers);
    await paced(subscribers, { ...options.open, done }, async () => void sockets.push(await BenchSocket.open(target.wsUrl, target.token)));
    const openMs = performance.now() - opened;
    const history = Array.from({ length: options.history }, (_, seq) => ({ room, data: messageData('history', seq, options.messageBytes) }));
    if (history.length > 0) await target.publisher.publishBatch(history);
    await warmUp(sockets.slice(0, WARMUP_SOCKETS), `${room}:warmup`);
    await target.historyReads?.reset();

    progress(`storm: ${subscribers.toLocaleString('en-US')} subscribes with a snapshot of ${options.snapshot} to ${room} over ${options.windowMs} ms`);
    const want = Math.min(options.snapshot, options.history);
    const answers: Array<Promise<Outcome>> = [];
    const probes: ProcessProbe[] = [...target.probes, { name: 'bench', sample: async () => ownSample() }];
    const cpuBefore = await cpuNow(probes);
    const started = performance.now();
    while (answers.length < subscribers) {
      const due = Math.min(subscribers, Math.floor(((performance.now() - started) / options.windowMs) * subscribers) + 1);
      while (answers.length < due) answers.push(subscribeUntilSnapshot(sockets[answers.length]!, room, options.snapshot, want));
      if (answers.length < subscribers) await sleep(1);
    }
    const sentInMs = performance.now() - started;
    const outcomes = await Promise.all(answers);
    const cpuAfter = await cpuNow(probes);
    const reads = target.historyReads ? await target.historyReads.count() : null;

    const good = outcomes.filter((outcome) => !outcome.failed);
    const errors: Record<string, number> = {};
    for (const error of outcomes.flatMap((outcome) => outcome.errors)) errors[error] = (errors[error] ?? 0) + 1;
    const durationMs = Math.max(...outcomes.map((outcome) => outcome.at)) - started;
    result = {
      subscribers,
      windowMs: options.windowMs,
      snapshot: options.snapshot,
      history: options.history,
      open: { ms: Math.round(openMs), perSecond: Math.round(subscribers / (openMs / 1000)) },
      sentInMs: Math.round(sentInMs),
      snapshots: good.length,
      short: good.filter((outcome) => outcome.short).length,
      failed: outcomes.length - good.length,
      retried: good.filter((outcome) => outcome.attempts > 1).length,
      attempts: outcomes.reduce((sum, outcome) => sum + outcome.attempts, 0),
      errors,
      latencyMs: summarize(good.map((outcome) => outcome.at - outcome.sentAt)),
      durationMs: Math.round(durationMs),
      subscribesPerSecond: Math.round(good.length / (durationMs / 1000)),
      historyReads: reads,
      historyReadsPerSecond: reads === null ? null : Math.round((reads / (durationMs / 1000)) * 10) / 10,
      cpuMsPerSubscribe: cpuPerUnit(cpuBefore, cpuAfter, good.length),
    };
    progress(
      `storm: ${good.length} snapshots in ${Math.round(durationMs)} ms, p50 ${result.latencyMs?.p50} ms, p99 ${result.latencyMs?.p99} ms, ${result.retried} retried, ${result.failed} failed` +
        (reads === null ? '' : `, ${reads} history reads (${result.historyReadsPerSecond}/s)`),
    );
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
    peaks = await memory.stop();
  }
  return { ...result, memory: peaks };
}

async function warmUp(sockets: readonly BenchSocket[], room: string): Promise<void> {
  // With a snapshot (of an empty room): the history read's code runs too.
  await Promise.all(sockets.map((socket) => socket.subscribe([room], 1)));
}

/**
 * One subscriber's subscribe, answered by its snapshot; a retryable refusal (a throttled or
 * failed invocation) is sent again after the client SDK's backoff, as the SDK would.
 */
async function subscribeUntilSnapshot(socket: BenchSocket, room: string, snapshot: number, want: number): Promise<Outcome> {
  const sentAt = performance.now();
  const errors: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (attempt > 0) await sleep(backoffDelay(attempt - 1, SDK_BACKOFF));
    const answer = socket.answer((frame) => (frame.type === 'snapshot' && frame.room === room && frame.more !== true) || isError(frame), ANSWER_MS);
    socket.send({ action: 'subscribe', rooms: [room], snapshot });
    try {
      const { frame, at } = await answer;
      if (!isError(frame)) return { sentAt, at, attempts: attempt + 1, errors, short: (Array.isArray(frame.messages) ? frame.messages.length : 0) < want };
      errors.push(describeError(frame));
      if (!isRetryable(frame)) break;
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { sentAt, at: performance.now(), attempts: errors.length, errors, short: false, failed: true };
}
