import { describe, expect, it } from 'vitest';
import { modelInputs } from '../../models/assumptions.js';
import { monthlyCost, sumUsd, type Profile } from '../../models/cost-model.js';
import { frameBytes, itemBytes, messageItemBytes, queryReadUnits, sampleMessage } from '../../models/item-sizes.js';
import { PRICES, priceOf } from '../../models/prices.js';
import { templateFacts } from '../../models/template-facts.js';
import { MESSAGE_METER_BYTES, publishUsage, connectionUsage } from '../../models/usage.js';

const setup = { facts: templateFacts(), inputs: modelInputs() };

const profile: Profile = {
  connections: 10_000,
  minutesPerConnection: 60 * 24 * 30,
  publishesPerSecond: 1,
  subscribersPerRoom: 1000,
  messageBytes: 512,
  roomsPerConnection: 1,
  snapshot: 20,
  lifetimeMinutes: 107.5,
};

describe('prices', () => {
  it('have a source each, and say when they were not found', () => {
    for (const price of Object.values(PRICES)) {
      expect(price.source).toMatch(/^https:\/\//);
      if (price.usd === null) expect(price.note).toMatch(/not found/);
    }
    expect(priceOf(PRICES.appsyncEventsConnectionMinute, 1000)).toBeNull();
  });

  it('apply the lower rate only above its tier', () => {
    expect(priceOf(PRICES.apiGatewayMessage, 1_000_000)).toBeCloseTo(1, 10);
    expect(priceOf(PRICES.apiGatewayMessage, 1_500_000_000)).toBeCloseTo(1000 + 400, 6);
  });
});

describe('item sizes', () => {
  it('count names and values as DynamoDB does', () => {
    expect(itemBytes({ pk: 'abc', n: 12 })).toBe(2 + 3 + 1 + 2);
    expect(queryReadUnits(0, 60)).toBe(1);
    expect(queryReadUnits(68, 60)).toBe(1);
    expect(queryReadUnits(69, 60)).toBe(2);
    // A full page of 1 MB is 256 units; the rest is rounded up on its own page.
    expect(queryReadUnits(20_000, 60)).toBe(256 + Math.ceil((20_000 * 60 - 1024 * 1024) / 4096));
  });
});

describe('one publish', () => {
  it('is one API Gateway message per subscriber, or more per 32 KB of frame', () => {
    expect(publishUsage(100, 512, setup).apiGatewayMessages).toBe(100);
    const large = sampleMessage(40 * 1024);
    expect(publishUsage(100, 40 * 1024, setup).apiGatewayMessages).toBe(100 * Math.ceil(frameBytes(large) / MESSAGE_METER_BYTES));
  });

  it('writes a transaction of counter, record and message (billed double), the planned mark and the index copy, and reads the shape and every partition', () => {
    const usage = publishUsage(1, 256, setup);
    // 2 x 3 + 1, and the byOrigin copy of a message of one unit, taken as doubled.
    expect(usage.dynamoWriteUnits).toBe(9);
    expect(usage.dynamoReadUnits).toBe(1 + setup.facts.shards);
    const units = Math.ceil(messageItemBytes(sampleMessage(3000)) / 1024);
    expect(units).toBeGreaterThan(1);
    expect(publishUsage(1, 3000, setup).dynamoWriteUnits).toBe(2 * (2 + units) + 1 + 2 * units);
    expect(publishUsage(1, 3000, { ...setup, inputs: { ...setup.inputs, indexCopyWriteFactor: 1 } }).dynamoWriteUnits).toBe(2 * (2 + units) + 1 + units);
  });

  it('pools the partitions of a segment into jobs of DELIVERY_JOB_SIZE connections, ten per SendMessageBatch and per invocation', () => {
    // A room of 100 over 4 partitions, planned inside the publish: one job, one SendMessageBatch.
    const small = publishUsage(100, 256, setup);
    expect(small.sqsRequests).toBe(1 + 2);
    expect(small.lambda.plan.requests).toBe(0);
    // A room of 10,000: 4 partitions of 1,000 and 16 of 375, planned by planners as 5 segments
    // of 4 partitions (1 plan invocation: a receive and a delete), each pooling its own jobs:
    // 40 jobs in 4 calls, and 4 x 15 jobs in 2 calls each; 100 jobs in 10 deliver invocations.
    const usage = publishUsage(10_000, 256, setup);
    expect(usage.lambda.publish.requests).toBe(1);
    expect(usage.lambda.plan.requests).toBe(1);
    expect(usage.lambda.deliver.requests).toBe(10);
    expect(usage.sqsRequests).toBe(1 + 2 + (4 + 4 * 2) + 10 * 2);
  });
});

describe('one connection', () => {
  it('subscribes once, answers a snapshot, and pings when idle', () => {
    const usage = connectionUsage({ minutes: 60, rooms: 1, snapshot: 0, dataBytes: 256 }, setup);
    // subscribe in, subscribed out, 12 pings and 12 pongs.
    expect(usage.apiGatewayMessages).toBe(2 + 24);
    expect(usage.lambda.default.requests).toBe(12);
    expect(usage.apiGatewayConnectionMinutes).toBe(60);
    expect(connectionUsage({ minutes: 60, rooms: 1, snapshot: 20, dataBytes: 256 }, setup).apiGatewayMessages).toBe(2 + 1 + 24);
  });
});

describe('a month', () => {
  const cost = monthlyCost(profile, setup);

  it('adds up its lines, and has the deliveries as its floor', () => {
    expect(cost.totalUsd).toBeCloseTo(sumUsd(cost.lines), 6);
    const deliveries = profile.publishesPerSecond * 30 * 86_400 * profile.subscribersPerRoom;
    expect(cost.floor.quantity).toBe(deliveries);
    expect(cost.floor.usd).toBeLessThan(cost.totalUsd);
    expect(cost.lines.find((line) => line.component === 'API Gateway WebSocket messages')!.quantity).toBeGreaterThan(deliveries);
  });

  it('puts AppSync Events beside it, without the price it could not find', () => {
    const { appsyncEvents } = cost;
    expect(appsyncEvents.complete).toBe(false);
    expect(appsyncEvents.lines.find((line) => line.component.includes('connection minutes'))!.usd).toBeNull();
    expect(appsyncEvents.knownUsd).toBeCloseTo(sumUsd(appsyncEvents.lines), 6);
  });

  it('warns when the posts a second exceed the account quota', () => {
    expect(cost.warnings).toEqual([]);
    expect(monthlyCost({ ...profile, publishesPerSecond: 20 }, setup).warnings.join()).toMatch(/20000 posts per second exceed/);
  });

  it('costs nothing without traffic', () => {
    expect(monthlyCost({ ...profile, connections: 0, publishesPerSecond: 0 }, setup).totalUsd).toBe(0);
  });
});
