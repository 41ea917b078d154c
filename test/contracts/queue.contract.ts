import { describe, expect, it } from 'vitest';
import type { QueuePort } from '../../layers/core/src/app/ports.js';
import type { DeliveryJob } from '../../layers/core/src/model/delivery-job.js';

/** What the contract observes of a queue from the outside, as its consumers would. */
export interface QueueProbe {
  /** The entries of each request made so far, by count. */
  requests(): number[];
  /** Take every item waiting (each once) and finish it. */
  drain(): Promise<DeliveryJob[]>;
  /** Take up to `count` items and hold them, unfinished, until `finish`. */
  take(count: number): Promise<void>;
  finish(): Promise<void>;
  /** Take every item of the dead-letter queue. */
  drainDeadLetters(): Promise<DeliveryJob[]>;
}

export interface QueueSubject {
  /** A queue with a dead-letter queue, empty. */
  queue: QueuePort<DeliveryJob>;
  /** A queue the function was not given. */
  unconfigured: QueuePort<DeliveryJob>;
  /** A queue without a dead-letter queue of its own (the plan queue: its redrive policy parks items). */
  withoutDeadLetters: QueuePort<DeliveryJob>;
  probe: QueueProbe;
}

let serial = 0;

/** A delivery job whose connection ids make its body about `bytes` long. */
export function job(bytes = 0, connections = 1): DeliveryJob {
  serial += 1;
  const id = `m${serial}`;
  const pad = 'c'.repeat(Math.max(0, Math.floor(bytes / connections)));
  return { v: 1, room: 'room', id, pos: '0000000000001000.eu-west-1.0000000000000001', ts: 1000, frame: `{"id":"${id}"}`, connections: Array.from({ length: connections }, (_, i) => `${pad}${i}`), attempt: 0 };
}

const byId = (jobs: readonly DeliveryJob[]): DeliveryJob[] => [...jobs].sort((a, b) => a.id.localeCompare(b.id));

/**
 * QueuePort: what the use cases rely on of a work queue (delivery jobs, plan tasks).
 * `subject` is called once per test and gives an empty queue.
 */
export function queueContract(name: string, subject: () => Promise<QueueSubject>): void {
  describe(`QueuePort: ${name}`, () => {
    it('delivers what is sent, each item once, as it was sent', async () => {
      const { queue, probe } = await subject();
      const sent = Array.from({ length: 12 }, (_, i) => ({ ...job(), connections: [`a${i}`, `b${i}`], attempt: i % 3, segment: `s${i}` }));
      await queue.send(sent);
      expect(byId(await probe.drain())).toEqual(byId(sent));
      expect(await probe.drain()).toEqual([]);
    });

    it('makes no request for an empty send', async () => {
      const { queue, probe } = await subject();
      expect(await queue.send([])).toEqual({ requests: 0 });
      expect(probe.requests()).toEqual([]);
    });

    it('sends up to 10 items a request, and says how many requests it took', async () => {
      const { queue, probe } = await subject();
      expect(await queue.send(Array.from({ length: 10 }, () => job()))).toEqual({ requests: 1 });
      expect(await queue.send(Array.from({ length: 23 }, () => job()))).toEqual({ requests: 3 });
      expect(probe.requests().sort((a, b) => a - b)).toEqual([3, 10, 10, 10]);
      expect(await probe.drain()).toHaveLength(33);
    });

    it('sends alone the items too big to share a request', async () => {
      const { queue, probe } = await subject();
      const big = Array.from({ length: 3 }, () => job(150_000, 10));
      const small = job();
      expect(await queue.send([...big, small])).toEqual({ requests: 3 });
      expect(probe.requests().sort((a, b) => a - b)).toEqual([1, 1, 2]);
      expect(byId(await probe.drain())).toEqual(byId([...big, small]));
    });

    it('parks a dead-lettered item in the dead-letter queue, not in the queue', async () => {
      const { queue, probe } = await subject();
      const parked = { ...job(), attempt: 5 };
      await queue.deadLetter(parked);
      expect(await probe.drainDeadLetters()).toEqual([parked]);
      expect(await probe.drain()).toEqual([]);
    });

    it('refuses to dead-letter an item when it has no dead-letter queue, and parks nothing', async () => {
      const { withoutDeadLetters, probe } = await subject();
      await expect(withoutDeadLetters.deadLetter(job())).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/no dead-letter queue/) });
      expect(await probe.drainDeadLetters()).toEqual([]);
    });

    it('counts as in flight the items taken by a consumer and not yet finished', async () => {
      const { queue, probe } = await subject();
      await queue.send(Array.from({ length: 5 }, () => job()));
      expect(await queue.inFlight()).toBe(0);
      await probe.take(3);
      expect(await queue.inFlight()).toBe(3);
      await probe.finish();
      expect(await queue.inFlight()).toBe(0);
      expect(await probe.drain()).toHaveLength(2);
    });

    it('says whether the function was given the queue', async () => {
      const { queue, unconfigured } = await subject();
      expect(queue.configured).toBe(true);
      expect(unconfigured.configured).toBe(false);
    });
  });
}
