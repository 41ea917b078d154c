import { describe, expect, it } from 'vitest';
import { decodeJob, encodeJob, LIMITS, planBatches, planJobs, shardOf } from '@roomcast/core';

const message = { room: 'r', id: 'm1', pos: '0000000000000001', ts: 1, frame: '{"type":"message"}' };
const ids = (count: number, prefix = 'conn') => Array.from({ length: count }, (_, index) => `${prefix}-${index}=`);

describe('shards', () => {
  it('puts a connection in the same shard every time, within range', () => {
    for (const id of ids(200)) {
      const shard = shardOf(id, 8);
      expect(shard).toBe(shardOf(id, 8));
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(8);
    }
  });

  it('spreads connections evenly enough', () => {
    const counts = new Array<number>(8).fill(0);
    for (const id of ids(8000)) counts[shardOf(id, 8)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});

describe('delivery jobs', () => {
  it('chunks by count and keeps every connection exactly once, in order', () => {
    const connections = ids(250);
    const jobs = planJobs(message, connections, { jobSize: 100 });
    expect(jobs.map((job) => job.connections.length)).toEqual([100, 100, 50]);
    expect(jobs.flatMap((job) => job.connections)).toEqual(connections);
    expect(jobs.every((job) => job.attempt === 0 && job.frame === message.frame)).toBe(true);
  });

  it('chunks by size when the frame is large', () => {
    const big = { ...message, frame: 'x'.repeat(LIMITS.messageBytes) };
    const jobs = planJobs(big, ids(2000, 'c'.repeat(40)), { jobSize: 1000, jobBytes: 140 * 1024 });
    expect(jobs.length).toBeGreaterThan(2);
    for (const job of jobs) expect(Buffer.byteLength(encodeJob(job))).toBeLessThanOrEqual(140 * 1024);
    expect(jobs.flatMap((job) => job.connections)).toHaveLength(2000);
  });

  it('refuses a message that cannot fit any job', () => {
    expect(() => planJobs({ ...message, frame: 'x'.repeat(300 * 1024) }, ['a'], { jobSize: 10 })).toThrow(RangeError);
  });

  it('plans nothing for an empty room', () => {
    expect(planJobs(message, [], { jobSize: 10 })).toEqual([]);
  });

  it('groups bodies into SendMessageBatch calls of at most 10 entries and the byte limit', () => {
    expect(planBatches(Array.from({ length: 25 }, () => 'x')).map((batch) => batch.length)).toEqual([10, 10, 5]);
    const large = Array.from({ length: 5 }, () => 'y'.repeat(100 * 1024));
    const batches = planBatches(large, 256 * 1024);
    expect(batches.map((batch) => batch.length)).toEqual([2, 2, 1]);
  });

  it('round-trips a job and refuses poison bodies', () => {
    const [job] = planJobs(message, ['a'], { jobSize: 10 });
    expect(decodeJob(encodeJob(job!))).toEqual(job);
    for (const poison of ['not json', '{}', '{"v":2}', JSON.stringify({ ...job, connections: [1] })]) {
      expect(() => decodeJob(poison)).toThrow(/delivery job/);
    }
  });
});
