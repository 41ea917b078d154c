/**
 * Conflation: S raw sockets each in a conflated room (ConflateRooms) and, the baseline, in a
 * plain room. Each room in turn: every PostToConnection is delayed (the local cloud's
 * post-delay fault, standing in for API Gateway's request quota) while M messages are
 * published at R a second; then the fault ends and the room settles. Measured per room: the
 * lag of message i at subscriber s, from the publish of i until s holds i or a newer message;
 * the share of posts skipped (Conflated against FanoutPlanned); the subscribers not ending
 * on the last message; the messages each subscriber received.
 */
import { BenchSocket } from './bench-socket.js';
import { Ledger } from './ledger.js';
import { every, paced, sleep } from './paced.js';
import type { Publisher } from '@roomcast/client/publisher';
import { phaseOf, publishAtRate, publishFlat, type Phase, type Published } from './publishing.js';
import { ratio, summarize, type LatencySummary } from './stats.js';
import type { BenchTarget } from './targets.js';

/** ConflateRooms of the local clouds the benchmark starts: the phase's conflated room, and no other of its rooms. */
export const CONFLATED_ROOM_PATTERN = 'bench:*:conflated';

export interface ConflationSettings {
  subscribers: number;
  /** Publishes to each room, at `rate` a second, while every post is delayed `postDelayMs`. */
  messages: number;
  rate: number;
  postDelayMs: number;
}

export interface ConflationOptions extends ConflationSettings {
  /** The rooms are `bench:<run>:conflated` and `bench:<run>:plain`. */
  run: string;
  messageBytes: number;
  open: { perSecond: number; concurrency: number };
  /** A room's turn ends once nothing arrived this long, or after `drainMs` at most. */
  quietMs: number;
  drainMs: number;
  progress(line: string): void;
}

export interface ConflationRoom {
  room: string;
  /** Every subscriber's `subscribed` frame listed the room as conflated. */
  conflated: boolean;
  publishes: number;
  publishErrors: number;
  firstError?: string;
  /** Message i at subscriber s: from the publish of i until s held i or a newer message. */
  lagMs: LatencySummary | null;
  /** Subscribers that never got the room's last message. */
  notOnLast: number;
  /** Subscribers whose last frame was an older message than one they already had. */
  endedOnOlder: number;
  /** Distinct messages of the turn each subscriber received. */
  receivedPerSubscriber: { mean: number; min: number; max: number };
  duplicates: number;
  /** The target's counts over the turn: posts planned, skipped for a newer message, delivered; null where not counted. */
  posts: { planned: number; conflated: number; delivered: number } | null;
  /** posts.conflated / posts.planned. */
  skippedShare: number | null;
  /** From the first publish until every subscriber held the last message; null if some never did. */
  convergedMs: number | null;
}

export interface ConflationResult extends ConflationSettings {
  conflatedRoom: ConflationRoom;
  plainRoom: ConflationRoom;
  open: { ms: number; perSecond: number };
  /** Sockets lost while subscribed. */
  dropped: number;
  /** The post delay was in force (a local cloud's fault; a deployed stage takes none). */
  postDelayInjected: boolean;
  /** What makes the figures other than the phase intends (the room not conflated by the target, no post delay). */
  notes: string[];
  /** Lag p99, conflated room / plain room. */
  lagP99Ratio: number | null;
}

/** Warm-up publishes to each room, `WARMUP_IN_FLIGHT` at a time, under the delay: several deliver environments start. */
const WARMUP_MESSAGES = 8;
const WARMUP_IN_FLIGHT = 4;

/**
 * One room's publishes (a Ledger, for the publishing helpers) and what each subscriber got
 * when. "Newer" is in the room's order, by position (concurrent publishes may overtake).
 */
class Turn extends Ledger {
  readonly sentAt: number[] = [];
  /** Each accepted message's position, from the publish's answer. */
  readonly positions: Array<string | undefined> = [];
  /** Per subscriber, per message: the first copy's arrival (NaN: none). */
  readonly arrivals: Float64Array[];
  readonly lastSeq: Int32Array;
  duplicates = 0;
  arrivalCount = 0;

  constructor(readonly phase: Phase, subscribers: number, readonly messages: number) {
    super(new Array<number>(subscribers).fill(0));
    this.arrivals = Array.from({ length: subscribers }, () => new Float64Array(messages).fill(Number.NaN));
    this.lastSeq = new Int32Array(subscribers).fill(-1);
  }

  override published(seq: number, room: number, at: number): void {
    this.sentAt[seq] = at;
    super.published(seq, room, at);
  }

  /** The target's publisher, recording each message's position. */
  recording(publisher: Publisher): Publisher {
    return {
      ...publisher,
      publish: async (room, data, options) => {
        const result = await publisher.publish(room, data, options);
        const sent = phaseOf(data);
        if (sent) this.positions[sent.seq] = result.pos;
        return result;
      },
    };
  }

  arrived(subscriber: number, seq: number, at: number): void {
    const row = this.arrivals[subscriber];
    if (!row || seq < 0 || seq >= this.messages) return;
    if (Number.isNaN(row[seq]!)) row[seq] = at;
    else this.duplicates += 1;
    this.lastSeq[subscriber] = seq;
    this.arrivalCount += 1;
    this.received(subscriber, seq, at);
  }

  /** The accepted messages, oldest first in the room's order. */
  order(): number[] {
    const seqs = this.positions.flatMap((pos, seq) => (pos === undefined ? [] : [seq]));
    return seqs.sort((a, b) => (this.positions[a]! < this.positions[b]! ? -1 : 1));
  }

  /** Subscribers without the room's last message. */
  notOnLast(): number {
    const last = this.order().at(-1);
    return last === undefined ? 0 : this.arrivals.filter((row) => Number.isNaN(row[last]!)).length;
  }
}

export async function runConflation(target: BenchTarget, options: ConflationOptions): Promise<ConflationResult> {
  const { subscribers, progress } = options;
  const rooms = { conflated: `bench:${options.run}:conflated`, plain: `bench:${options.run}:plain` };
  const turns = new Map<string, Turn>();
  const sockets: BenchSocket[] = [];
  /** Subscribers whose `subscribed` frame listed each room as conflated. */
  const listed = { conflated: 0, plain: 0 };
  const reference = await target.counts?.();
  const begin = (kind: keyof typeof rooms, name: string, messages: number): Turn => {
    const turn = new Turn({ name, rooms: [rooms[kind]], messageBytes: options.messageBytes, idPrefix: `bench:${options.run}` }, subscribers, messages);
    turns.set(name, turn);
    return turn;
  };
  // Publishes with every post delayed (where the target takes the fault), then ends the delay.
  const delayed = async <T>(publish: () => Promise<T>): Promise<T> => {
    await target.postDelay?.(options.postDelayMs);
    try {
      return await publish();
    } finally {
      await target.postDelay?.(0);
    }
  };
  try {
    const opened = performance.now();
    const done = every(3000, (count) => progress(`${count.toLocaleString('en-US')} of ${subscribers.toLocaleString('en-US')} subscribers in`), subscribers);
    await paced(subscribers, { ...options.open, done }, async (index) => {
      const socket = await BenchSocket.open(target.wsUrl, target.token);
      sockets.push(socket);
      socket.onMessage = (frame, at) => {
        const sent = phaseOf(frame.data);
        if (sent) turns.get(sent.phase)?.arrived(index, sent.seq, at);
      };
      const answer = socket.answer((frame) => frame.type === 'subscribed');
      answer.catch(() => undefined);
      await socket.subscribe([rooms.conflated, rooms.plain]);
      const { frame } = await answer;
      const conflated = Array.isArray(frame.conflated) ? frame.conflated.map(String) : [];
      if (conflated.includes(rooms.conflated)) listed.conflated += 1;
      if (conflated.includes(rooms.plain)) listed.plain += 1;
    });
    const openMs = performance.now() - opened;
    const notes: string[] = [];
    if (listed.conflated < subscribers) notes.push(`the target does not conflate ${rooms.conflated} (${subscribers - listed.conflated} subscribed frames do not list it): both rooms are plain here`);
    if (listed.plain > 0) notes.push(`the target conflates ${rooms.plain} too: it is no plain baseline`);
    if (!target.postDelay) notes.push('the target takes no post-delay fault: delivery was not slowed');

    // Every subscription is in place (each `subscribed` frame came): a warm-up message that never arrives is a failure.
    const warm = (['conflated', 'plain'] as const).map((kind) => begin(kind, `conflation-warmup-${kind}`, WARMUP_MESSAGES));
    await delayed(() => Promise.all(warm.map((turn) => publishFlat(turn.recording(target.publisher), turn, turn.phase, WARMUP_MESSAGES, WARMUP_IN_FLIGHT))));
    const missing = (): number => warm.reduce((sum, turn) => sum + turn.notOnLast(), 0);
    await settleTurns(warm, options.quietMs, options.drainMs, () => missing() === 0);
    if (missing() > 0) throw new Error(`warm-up: ${missing()} times a subscriber never got the last message of its room`);

    const measureRoom = async (kind: keyof typeof rooms): Promise<ConflationRoom> => {
      const room = rooms[kind];
      const before = await countsAtRest(target, reference, options.quietMs);
      const measured = begin(kind, `conflation-${kind}`, options.messages);
      progress(`${kind} room: ${options.messages} publishes at ${options.rate}/s to ${room}` + (target.postDelay ? `, every post delayed ${options.postDelayMs} ms` : ''));
      const published = await delayed(() => publishAtRate(measured.recording(target.publisher), measured, measured.phase, options.messages, options.rate));
      const holdsAll = kind === 'plain' || listed.conflated < subscribers;
      await settleTurns([measured], options.quietMs, options.drainMs, () => measured.notOnLast() === 0 && (!holdsAll || measured.settled()));
      const after = await countsAtRest(target, reference, options.quietMs);
      const result = roomResult(measured, room, (kind === 'conflated' ? listed.conflated : listed.plain) === subscribers, published, before, after);
      progress(roomLine(kind, result, subscribers));
      return result;
    };
    const conflatedRoom = await measureRoom('conflated');
    const plainRoom = await measureRoom('plain');
    return {
      subscribers,
      messages: options.messages,
      rate: options.rate,
      postDelayMs: options.postDelayMs,
      conflatedRoom,
      plainRoom,
      open: { ms: Math.round(openMs), perSecond: Math.round(subscribers / (openMs / 1000)) },
      dropped: sockets.filter((socket) => socket.dropped).length,
      postDelayInjected: target.postDelay !== undefined,
      notes,
      lagP99Ratio: ratio(conflatedRoom.lagMs?.p99, plainRoom.lagMs?.p99),
    };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
  }
}

/** Waits until `done`, or until nothing arrived for `quietMs`, or `totalMs` passed. */
async function settleTurns(turns: readonly Turn[], quietMs: number, totalMs: number, done: () => boolean): Promise<void> {
  const deadline = performance.now() + totalMs;
  const arrivals = (): number => turns.reduce((sum, turn) => sum + turn.arrivalCount, 0);
  let last = arrivals();
  let lastChange = performance.now();
  while (!done() && performance.now() < deadline) {
    await sleep(50);
    if (arrivals() !== last) {
      last = arrivals();
      lastChange = performance.now();
    } else if (performance.now() - lastChange > quietMs) return;
  }
}

const SETTLED = ['Delivered', 'Gone', 'Failed', 'Conflated'] as const;

/**
 * The target's counts once every post planned since `reference` is delivered, gone, failed
 * or skipped (or after `waitMs`): no job of one turn is still at work in the next.
 */
async function countsAtRest(target: BenchTarget, reference: Record<string, number> | undefined, waitMs: number): Promise<Record<string, number> | undefined> {
  if (!target.counts || !reference) return undefined;
  const deadline = performance.now() + waitMs;
  for (;;) {
    const counts = await target.counts();
    const since = (name: string): number => (counts[name] ?? 0) - (reference[name] ?? 0);
    if (since('FanoutPlanned') <= SETTLED.reduce((sum, name) => sum + since(name), 0) || performance.now() > deadline) return counts;
    await sleep(100);
  }
}

function roomResult(turn: Turn, room: string, conflated: boolean, published: Published, before: Record<string, number> | undefined, after: Record<string, number> | undefined): ConflationRoom {
  const order = turn.order();
  const rank = new Map(order.map((seq, index) => [seq, index]));
  const lags: number[] = [];
  const received: number[] = [];
  let endedOnOlder = 0;
  turn.arrivals.forEach((row, subscriber) => {
    // From the newest back: the earliest arrival of this message or of any newer one.
    let held = Number.POSITIVE_INFINITY;
    for (let index = order.length - 1; index >= 0; index -= 1) {
      const seq = order[index]!;
      if (row[seq]! < held) held = row[seq]!;
      if (Number.isFinite(held)) lags.push(held - turn.sentAt[seq]!);
    }
    const got = [...row.keys()].filter((seq) => !Number.isNaN(row[seq]!));
    received.push(got.length);
    const newest = got.reduce((best, seq) => Math.max(best, rank.get(seq) ?? -1), -1);
    if ((rank.get(turn.lastSeq[subscriber]!) ?? -1) < newest) endedOnOlder += 1;
  });
  const last = order.at(-1);
  const lastArrivals = last === undefined ? [] : turn.arrivals.map((row) => row[last]!);
  const since = (name: string): number => (after?.[name] ?? 0) - (before?.[name] ?? 0);
  const posts = before && after ? { planned: since('FanoutPlanned'), conflated: since('Conflated'), delivered: since('Delivered') } : null;
  const sorted = received.sort((a, b) => a - b);
  return {
    room,
    conflated,
    publishes: turn.sentAt.length,
    publishErrors: published.publishErrors,
    ...(published.firstError ? { firstError: published.firstError } : {}),
    lagMs: summarize(lags),
    notOnLast: turn.notOnLast(),
    endedOnOlder,
    receivedPerSubscriber: { mean: Math.round((sorted.reduce((sum, count) => sum + count, 0) / Math.max(1, sorted.length)) * 10) / 10, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 },
    duplicates: turn.duplicates,
    posts,
    skippedShare: posts ? ratio(posts.conflated, posts.planned) : null,
    convergedMs: lastArrivals.length > 0 && lastArrivals.every((at) => !Number.isNaN(at)) ? Math.round(lastArrivals.reduce((latest, at) => Math.max(latest, at), 0) - turn.sentAt[0]!) : null,
  };
}

function roomLine(kind: string, result: ConflationRoom, subscribers: number): string {
  const lag = result.lagMs ? `lag p50 ${result.lagMs.p50} ms, p99 ${result.lagMs.p99} ms, max ${result.lagMs.max} ms` : 'nothing delivered';
  const skipped = result.skippedShare === null ? '' : `, ${(result.skippedShare * 100).toFixed(1)}% of ${result.posts!.planned.toLocaleString('en-US')} posts skipped`;
  const errors = result.publishErrors > 0 ? `, ${result.publishErrors} publishes failed (${result.firstError})` : '';
  return `${kind} room: ${lag}${skipped}, ${result.notOnLast} of ${subscribers} subscribers not on the last message, ${result.receivedPerSubscriber.mean} messages received per subscriber${errors}`;
}
