/**
 * End to end: N subscribers, each in a small room (of `roomSize`) and in one room of all N.
 * A steady phase publishes P messages a second round robin over the small rooms: the
 * latency from publish to receive at a load the target can carry. A broadcast phase publishes
 * to the room of all N, the next message as soon as fewer than `broadcastWindow` are still
 * being delivered: how many deliveries a second the target sustains. Loss and duplicates are counted per subscriber and message. The same harness
 * measures the pipeline and the raw broadcast baseline.
 */
import { Ledger, type Tally } from './ledger.js';
import { cpuNow, cpuPerUnit, ownSample, watchMemory, type MemoryPeaks, type ProcessProbe } from './process-probes.js';
import { phaseOf, publishAtRate, publishFlat, publishWindowed, settle, settleAll, type Phase, type Published } from './publishing.js';
import { openSubscribers, type ClientKind, type SubscriberPool } from './subscribers.js';
import type { BenchTarget } from './targets.js';

/** The shape of the phases, the same for every size. */
export interface PhaseSettings {
  /** Subscribers per small room of the steady phase: a size of N has ceil(N / roomSize) rooms. */
  roomSize: number;
  /** Publishes a second in the steady phase, all small rooms together, and how many. */
  rate: number;
  messages: number;
  /** Deliveries the broadcast phase aims at (0: none): ceil(broadcastDeliveries / N) publishes to the room of all. */
  broadcastDeliveries: number;
  /** The next broadcast is published once fewer than this many are still being delivered. */
  broadcastWindow: number;
  messageBytes: number;
  /** A phase ends once nothing arrived this long; the next starts. */
  quietMs: number;
  /**
   * At the end, what is still missing is waited for this long at most (a failed delivery job
   * comes back after the queue's visibility timeout); then it is lost.
   */
  drainMs: number;
}

export interface EndToEndOptions extends PhaseSettings {
  subscribers: number;
  clients: ClientKind;
  /** Room names are `<prefix>:<index>` and `<prefix>:all`; ids start with it too. */
  prefix: string;
  open: { perSecond: number; concurrency: number };
  progress(line: string): void;
}

export interface PhaseResult extends Tally {
  publishErrors: number;
  firstError?: string;
  /**
   * CPU milliseconds per delivery each process used from the phase's first publish until it
   * settled (Linux): the target's processes, and `bench`, this process (clients, publisher).
   */
  cpuMsPerDelivery: Record<string, number>;
}

export interface EndToEndResult {
  target: BenchTarget['kind'];
  clients: ClientKind;
  subscribers: number;
  /** Small rooms of the steady phase. */
  rooms: number;
  rate: number;
  messageBytes: number;
  /** Opening and subscribing the subscribers. */
  open: { ms: number; perSecond: number };
  /** Sockets lost while subscribed (SDK: reconnects). */
  dropped: number;
  steady: PhaseResult & { offeredPerSecond: number };
  broadcast: PhaseResult | null;
  /** The local cloud's metric counts over the measurement (Published, Delivered, Retried, Throttled, ...). */
  pipelineCounts?: Record<string, number>;
  memory: MemoryPeaks;
}

const WARMUP_ROUNDS = 6;
/** At least this many warm-up messages, WARMUP_IN_FLIGHT at a time: several environments of each function start. */
const WARMUP_MESSAGES = 32;
const WARMUP_IN_FLIGHT = 8;

type Run = Phase & { ledger: Ledger };

export async function runEndToEnd(target: BenchTarget, options: EndToEndOptions): Promise<EndToEndResult> {
  const { subscribers, progress } = options;
  const roomCount = Math.ceil(subscribers / options.roomSize);
  const small = Array.from({ length: roomCount }, (_, index) => `${options.prefix}:${index}`);
  const all = `${options.prefix}:all`;
  const smallOf = Array.from({ length: subscribers }, (_, index) => index % roomCount);
  const everyone = new Array<number>(subscribers).fill(0);
  const memory = watchMemory(target.probes);
  const countsBefore = await target.counts?.();
  let result: Omit<EndToEndResult, 'memory'>;
  let peaks: MemoryPeaks = {};
  const opened = performance.now();
  let pool: SubscriberPool | undefined;
  try {
    pool = await openSubscribers({
      kind: options.clients,
      url: target.wsUrl,
      ...(target.token ? { token: target.token } : {}),
      count: subscribers,
      roomsOf: (index) => [small[smallOf[index]!]!, all],
      ...options.open,
      progress,
    });
    const openMs = performance.now() - opened;
    // Every phase keeps its ledger: a delivery that comes late still counts for its phase.
    const ledgers = new Map<string, Ledger>();
    pool.listen((receipt) => {
      const sent = phaseOf(receipt.data);
      if (sent) ledgers.get(sent.phase)?.received(receipt.subscriber, sent.seq, receipt.at);
    });
    const phase = (name: string, rooms: readonly string[], members: readonly number[]): Run => {
      const ledger = new Ledger(members);
      ledgers.set(name, ledger);
      return { name, rooms, messageBytes: options.messageBytes, idPrefix: options.prefix, ledger };
    };
    const probes: ProcessProbe[] = [...target.probes, { name: 'bench', sample: async () => ownSample() }];
    const measured = async (run: Run, publish: () => Promise<Published>): Promise<PhaseResult> => {
      const before = await cpuNow(probes);
      const published = await publish();
      await settle(run.ledger, options.quietMs);
      const outcome = { ...run.ledger.tally(), ...published, cpuMsPerDelivery: cpuPerUnit(before, await cpuNow(probes), run.ledger.deliveredCount()) };
      progress(phaseLine(run.name, outcome));
      return outcome;
    };

    await warmUp(target, () => phase(`warmup-${ledgers.size}`, small, smallOf), Math.max(roomCount, WARMUP_MESSAGES), options);
    await warmUp(target, () => phase(`warmup-${ledgers.size}`, [all], everyone), 1, options);

    progress(`steady: ${options.messages} publishes at ${options.rate}/s over ${roomCount} rooms of ${options.roomSize}`);
    const steady = phase('steady', small, smallOf);
    const steadyResult = await measured(steady, () => publishAtRate(target.publisher, steady.ledger, steady, options.messages, options.rate));

    let broadcastResult: PhaseResult | null = null;
    const broadcast = options.broadcastDeliveries > 0 ? phase('broadcast', [all], everyone) : undefined;
    if (broadcast) {
      const count = Math.ceil(options.broadcastDeliveries / subscribers);
      progress(`broadcast: ${count} publishes to all ${subscribers}, at most ${options.broadcastWindow} being delivered at once`);
      broadcastResult = await measured(broadcast, () => publishWindowed(target.publisher, broadcast.ledger, broadcast, count, options.broadcastWindow, options.quietMs));
    }
    const phases = [steady.ledger, ...(broadcast ? [broadcast.ledger] : [])];
    if (!phases.every((ledger) => ledger.settled())) {
      progress(`waiting for what is missing, ${Math.round(options.drainMs / 1000)} s at most`);
      await settleAll(phases, options.drainMs, options.drainMs);
    }
    const countsAfter = await target.counts?.();
    result = {
      target: target.kind,
      clients: options.clients,
      subscribers,
      rooms: roomCount,
      rate: options.rate,
      messageBytes: options.messageBytes,
      open: { ms: Math.round(openMs), perSecond: Math.round(subscribers / (openMs / 1000)) },
      dropped: pool.dropped(),
      // Tallied again: what arrived while waiting counts, at its real latency.
      steady: { ...steadyResult, ...steady.ledger.tally(), offeredPerSecond: Math.round(options.rate * (subscribers / roomCount)) },
      broadcast: broadcast && broadcastResult ? { ...broadcastResult, ...broadcast.ledger.tally() } : null,
      ...(countsBefore && countsAfter ? { pipelineCounts: difference(countsAfter, countsBefore) } : {}),
    };
  } finally {
    await pool?.close();
    peaks = await memory.stop();
  }
  return { ...result, memory: peaks };
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, value]) => [name, value - (before[name] ?? 0)]));
}

/**
 * Publishes (`count`, over the phase's rooms) until every subscriber got its messages:
 * proves each is subscribed (an SDK client's subscribe is not acknowledged to the app), and
 * starts the environments of the functions, so that the phases measure a warm pipeline.
 */
async function warmUp(target: BenchTarget, phase: () => Run, count: number, options: EndToEndOptions): Promise<void> {
  for (let round = 0; round < WARMUP_ROUNDS; round += 1) {
    const warm = phase();
    await publishFlat(target.publisher, warm.ledger, warm, count, WARMUP_IN_FLIGHT);
    await settle(warm.ledger, Math.min(options.quietMs, 10_000));
    const { subscribersWithLoss } = warm.ledger.tally();
    if (subscribersWithLoss === 0) return;
    options.progress(`warm-up: ${subscribersWithLoss} subscribers missed a message (not subscribed yet?); again`);
  }
  throw new Error(`after ${WARMUP_ROUNDS} warm-up rounds some subscribers still get nothing: are they subscribed?`);
}

function phaseLine(name: string, result: PhaseResult): string {
  const latency = result.latencyMs ? `p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms` : 'no deliveries';
  const errors = result.publishErrors > 0 ? `, ${result.publishErrors} publishes failed (${result.firstError})` : '';
  const cpu = Object.entries(result.cpuMsPerDelivery).map(([name, ms]) => `${name} ${ms}`).join(', ');
  return `${name}: ${result.delivered.toLocaleString('en-US')} of ${result.expected.toLocaleString('en-US')} delivered, ${result.deliveriesPerSecond.toLocaleString('en-US')}/s, ${latency}, lost ${result.lost}, duplicates ${result.duplicates}${errors}${cpu ? `; CPU ms per delivery: ${cpu}` : ''}`;
}
