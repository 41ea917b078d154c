/**
 * The publishing side of a phase: messages `{phase, seq, pad}` of a given size, sent at a
 * steady rate or as fast as a number of requests in flight allows, each stamped in the
 * ledger just before its request goes out.
 */
import type { Publisher } from '@roomcast/client/publisher';
import type { Ledger } from './ledger.js';
import { sleep } from './paced.js';

export interface Phase {
  name: string;
  /** The rooms, by index; message `seq` goes to room `seq % rooms.length`. */
  rooms: readonly string[];
  /** Bytes of `data` as JSON (about). */
  messageBytes: number;
  /** Unique per run, so that ids never repeat across runs of a deployed stage. */
  idPrefix: string;
}

export interface Published {
  publishErrors: number;
  /** The first error's text, if any. */
  firstError?: string;
}

export function messageData(phase: string, seq: number, messageBytes: number): { phase: string; seq: number; pad: string } {
  const bare = JSON.stringify({ phase, seq, pad: '' }).length;
  return { phase, seq, pad: 'x'.repeat(Math.max(0, messageBytes - bare)) };
}

/** Read back from a received message's data. */
export function phaseOf(data: unknown): { phase: string; seq: number } | undefined {
  const value = data as { phase?: unknown; seq?: unknown } | null;
  return typeof value?.phase === 'string' && typeof value.seq === 'number' ? { phase: value.phase, seq: value.seq } : undefined;
}

/** `count` publishes at `perSecond`, not waiting for one answer before the next is due. */
export async function publishAtRate(publisher: Publisher, ledger: Ledger, phase: Phase, count: number, perSecond: number): Promise<Published> {
  const started = performance.now();
  const sends: Array<Promise<void>> = [];
  const outcome: Published = { publishErrors: 0 };
  for (let seq = 0; seq < count; seq += 1) {
    const wait = started + (seq * 1000) / perSecond - performance.now();
    if (wait > 0) await sleep(wait);
    sends.push(publishOne(publisher, ledger, phase, seq, outcome));
  }
  await Promise.all(sends);
  return outcome;
}

/**
 * `count` publishes, each sent once fewer than `window` messages are still being delivered
 * (published, and not yet at every subscriber of their room): as fast as the target delivers,
 * without a queue that grows until timeouts and retries take over. Stops early when nothing
 * arrived for `quietMs`.
 */
export async function publishWindowed(publisher: Publisher, ledger: Ledger, phase: Phase, count: number, window: number, quietMs: number): Promise<Published> {
  const outcome: Published = { publishErrors: 0 };
  const sends: Array<Promise<void>> = [];
  let last = ledger.deliveredCount();
  let lastChange = performance.now();
  for (let seq = 0; seq < count; seq += 1) {
    while (ledger.outstanding() >= window) {
      await sleep(1);
      if (ledger.deliveredCount() !== last) {
        last = ledger.deliveredCount();
        lastChange = performance.now();
      } else if (performance.now() - lastChange > quietMs) {
        await Promise.all(sends);
        return outcome;
      }
    }
    sends.push(publishOne(publisher, ledger, phase, seq, outcome));
  }
  await Promise.all(sends);
  return outcome;
}

/** `count` publishes, `inFlight` requests at a time, each sent as soon as one is answered. */
export async function publishFlat(publisher: Publisher, ledger: Ledger, phase: Phase, count: number, inFlight: number): Promise<Published> {
  const outcome: Published = { publishErrors: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let seq = next++; seq < count; seq = next++) await publishOne(publisher, ledger, phase, seq, outcome);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  return outcome;
}

async function publishOne(publisher: Publisher, ledger: Ledger, phase: Phase, seq: number, outcome: Published): Promise<void> {
  const room = seq % phase.rooms.length;
  const data = messageData(phase.name, seq, phase.messageBytes);
  ledger.published(seq, room, performance.now());
  try {
    await publisher.publish(phase.rooms[room]!, data, { id: `${phase.idPrefix}-${phase.name}-${seq}` });
    ledger.accepted(seq);
  } catch (error) {
    ledger.failed(seq);
    outcome.publishErrors += 1;
    outcome.firstError ??= error instanceof Error ? error.message : String(error);
  }
}

/** Waits until every owed delivery arrived, or none arrived for `quietMs`. */
export function settle(ledger: Ledger, quietMs: number): Promise<void> {
  return settleAll([ledger], quietMs);
}

/** Waits until every ledger is settled, or no delivery arrived in any for `quietMs`, or `totalMs` passed. */
export async function settleAll(ledgers: readonly Ledger[], quietMs: number, totalMs = Number.POSITIVE_INFINITY): Promise<void> {
  const delivered = (): number => ledgers.reduce((sum, ledger) => sum + ledger.deliveredCount(), 0);
  let last = delivered();
  let lastChange = performance.now();
  const deadline = performance.now() + totalMs;
  while (!ledgers.every((ledger) => ledger.settled()) && performance.now() < deadline) {
    await sleep(50);
    const now = delivered();
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > quietMs) return;
  }
}
