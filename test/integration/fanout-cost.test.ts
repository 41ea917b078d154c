import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { modelInputs } from '../../models/assumptions.js';
import { fanoutOverhead } from '../../models/cost-model.js';
import { measureFanoutCost, type FanoutCost } from '../../bench/fanout-cost.js';
import { PRICES } from '../../models/prices.js';
import { templateFacts } from '../../models/template-facts.js';
import { indexWriteUnits, publishUsage } from '../../models/usage.js';
import { sampleMessage } from '../../models/item-sizes.js';

const setup = { facts: templateFacts(), inputs: modelInputs() };
let results: FanoutCost[];

beforeAll(async () => {
  results = await measureFanoutCost({ sizes: [1, 100], services: inject('roomcastServices') });
}, 180_000);

describe('fan-out cost accounting (real publish and deliver, metered DynamoDB Local and SQS)', () => {
  it('posts exactly once to each subscriber: the minimum', () => {
    for (const result of results) {
      expect(result.posts).toBe(result.subscribers);
      expect(result.postsMinimum).toBe(result.subscribers);
      expect([result.missed, result.duplicated, result.unexpected]).toEqual([0, 0, 0]);
    }
  });

  it('counts the units DynamoDB consumed: the writes the model says, and reads of every non-empty shard', () => {
    for (const result of results) {
      // DynamoDB Local does not count the index's copy of the message; the model adds it for AWS.
      const modelled = publishUsage(result.subscribers, result.messageBytes, setup).dynamoWriteUnits;
      expect(result.dynamo.writeUnits).toBe(modelled - indexWriteUnits(sampleMessage(result.messageBytes), setup.inputs));
      expect(result.dynamo.writeUnits).toBe(7);
      expect(result.dynamo.readUnits).toBeGreaterThanOrEqual(Math.min(result.subscribers, setup.facts.shards));
      expect(result.dynamo.requests.Query).toBe(setup.facts.shards);
    }
  });

  it('counts the SQS requests of planning and of the event source, as billed', () => {
    for (const { subscribers, sqs, lambda } of results) {
      const jobs = Math.ceil(subscribers / setup.facts.jobSize);
      expect(lambda.jobs).toBeGreaterThanOrEqual(jobs);
      expect(sqs.billed.SendMessageBatch).toBeGreaterThanOrEqual(Math.ceil(jobs / 10));
      expect(sqs.billed.ReceiveMessage).toBeGreaterThanOrEqual(Math.ceil(lambda.jobs / setup.facts.batchSize));
      expect(sqs.billed.DeleteMessageBatch).toBe(sqs.billed.ReceiveMessage);
      expect(sqs.billed.GetQueueAttributes).toBeUndefined();
      expect(lambda.deliverInvocations).toBe(sqs.billed.ReceiveMessage);
      expect(lambda.publishInvocations).toBe(1);
    }
  });

  it('prices the overhead against the API Gateway messages of the posts', () => {
    for (const result of results) {
      const cost = fanoutOverhead(result, setup);
      expect(cost.apiGatewayUsd).toBeCloseTo((result.posts / 1_000_000) * PRICES.apiGatewayMessage.usd, 12);
      expect(cost.overheadUsd).toBeGreaterThan(0);
      expect(cost.overheadRatio).toBeCloseTo(cost.overheadUsd / cost.apiGatewayUsd, 12);
    }
    const [one, hundred] = results.map((result) => fanoutOverhead(result, setup).overheadRatio);
    expect(hundred).toBeLessThan(one!);
  });
});
