/**
 * The publishers of the delivery scenario: numbered messages with ids through the signed
 * HTTP publish API (the publisher client retries 429, 5xx and PUBLISH_IN_PROGRESS with the
 * same id). Each acknowledged message is logged with its position; a publish that gave up
 * leaves its id uncertain (it may have been stored).
 */
import { createPublisher, type Publisher } from '@roomcast/client/publisher';
import type { RegionCloud } from '@roomcast/local';
import type { Published } from './checker.js';

export interface PublishLog {
  published: Published[];
  uncertain: Set<string>;
  failures: string[];
}

export function publisherFor(region: RegionCloud): Publisher {
  const { publishUrl, region: name, accessKeyId, secretAccessKey } = region.info;
  // Enough attempts to outlast a crashed request's claim (PUBLISH_CLAIM_MS) with backoff.
  return createPublisher({ endpoint: publishUrl, region: name, credentials: { accessKeyId, secretAccessKey }, retries: { attempts: 12, baseMs: 100, capMs: 2000 } });
}

export interface NumberedRun {
  publisher: Publisher;
  origin: string;
  /** Ids are `<name>-<n>`. */
  name: string;
  rooms: readonly string[];
  /** Message n (from 1) goes to rooms[(offset + n) % rooms.length]. */
  offset: number;
  count: number;
  paceMs: number;
  log: PublishLog;
  now(): number;
  /** After each message, acknowledged or not. */
  onDone(): void;
}

/** Publishes one message and logs the outcome. */
export async function publishLogged(publisher: Publisher, origin: string, room: string, id: string, data: unknown, log: PublishLog, now: () => number): Promise<void> {
  const sentAt = now();
  try {
    const { pos } = await publisher.publish(room, data, { id });
    log.published.push({ room, id, pos, origin, sentAt });
  } catch (error) {
    log.uncertain.add(id);
    log.failures.push(`${id}: ${(error as Error).message}`);
  }
}

/** One publisher's numbered messages, one at a time, `paceMs` apart. */
export async function publishNumbered(run: NumberedRun): Promise<void> {
  for (let n = 1; n <= run.count; n += 1) {
    const room = run.rooms[(run.offset + n) % run.rooms.length]!;
    await publishLogged(run.publisher, run.origin, room, `${run.name}-${n}`, { publisher: run.name, n }, run.log, run.now);
    run.onDone();
    await new Promise((resolve) => setTimeout(resolve, run.paceMs));
  }
}
