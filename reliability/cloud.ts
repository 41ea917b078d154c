/**
 * The local cloud of the delivery scenario: two regions replicating the messages table,
 * API Gateway's 2 h connection cut compressed to seconds, a short visibility timeout on
 * each region's delivery queue (so that a crashed batch comes back soon), and what the
 * queues hold, read through the real SQS API.
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalCloud, type LocalCloud, type RegionCloud } from '@roomcast/local';
import { uniqueStackName } from '@roomcast/local/stack';

export const REGIONS = ['eu-west-1', 'us-east-1'];

export interface ScenarioCloudOptions {
  replicationDelayMs: number;
  maxConnectionMs: number;
  visibilityTimeoutSeconds: number;
  /** How long a crashed publish request holds its message's id (PUBLISH_CLAIM_MS). */
  publishClaimMs: number;
  /** Running DynamoDB Local and SQS emulator to use (the test suite's); default: start them. */
  services?: { dynamodb: string; sqs: string };
  log(line: string): void;
}

export async function startScenarioCloud(options: ScenarioCloudOptions): Promise<LocalCloud> {
  const cloud = await startLocalCloud({
    port: 0,
    samconfig: false,
    watch: false,
    stackName: uniqueStackName('rel'),
    regions: REGIONS,
    replicationDelayMs: options.replicationDelayMs,
    limits: { maxDurationMs: options.maxConnectionMs },
    // Each concurrent delivery is another deliver environment (a cold start); two per region are plenty here.
    parameterOverrides: { DeliveryMaxConcurrency: '2' },
    // Every fan-out goes through the planners, and a room opens a new generation of partitions
    // once one holds 4 subscribers, while subscribers come and go: both paths under every
    // fault. (Fewer rows per partition make each of these small rooms a room of 1,364
    // partitions: connections dropped without $disconnect are never counted out.)
    functionEnv: {
      PublishFunction: { PUBLISH_CLAIM_MS: String(options.publishClaimMs), PLAN_INLINE_PARTITIONS: '0' },
      StreamFunction: { PLAN_INLINE_PARTITIONS: '0' },
      SubscribeFunction: { ROOM_PARTITION_ROWS: '4' },
    },
    ...(options.services ? { services: options.services } : {}),
    log: options.log,
    functionLog: (fn, line) => options.log(`[${fn}] ${line}`),
  });
  try {
    for (const region of cloud.regions) {
      // A plan task waits for a free planner environment on a busy machine (its visibility
      // timeout runs meanwhile): it gets more time, or it would reach the plan DLQ unplanned.
      const timeouts = [
        [region.info.outputs.DeliveryQueueUrl!, options.visibilityTimeoutSeconds],
        [region.info.outputs.PlanQueueUrl!, Math.max(10, 3 * options.visibilityTimeoutSeconds)],
      ] as const;
      for (const [queueUrl, seconds] of timeouts) {
        await sqsOf(region).send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: String(seconds) } }));
      }
    }
  } catch (error) {
    await cloud.stop();
    throw error;
  }
  return cloud;
}

const clients = new WeakMap<RegionCloud, SQSClient>();

function sqsOf(region: RegionCloud): SQSClient {
  let sqs = clients.get(region);
  if (!sqs) {
    const { region: name, sqsEndpoint, accessKeyId, secretAccessKey } = region.info;
    sqs = new SQSClient({ region: name, endpoint: sqsEndpoint, credentials: { accessKeyId, secretAccessKey } });
    clients.set(region, sqs);
  }
  return sqs;
}

/** Messages in a queue: visible, in flight and delayed. */
async function depth(sqs: SQSClient, url: string): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] }));
  return names.reduce((sum, name) => sum + Number(Attributes[name] ?? 0), 0);
}

export interface QueueDepths {
  delivery: number;
  deadLetters: number;
  plans: number;
  planDeadLetters: number;
  streamFailures: number;
}

export async function queueDepths(region: RegionCloud): Promise<QueueDepths> {
  const sqs = sqsOf(region);
  const streamFailureQueue = region.model.queues.find((queue) => queue.logicalId === 'StreamFailureQueue')!.name;
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: streamFailureQueue }));
  return {
    delivery: await depth(sqs, region.info.outputs.DeliveryQueueUrl!),
    deadLetters: await depth(sqs, region.info.outputs.DeliveryDlqUrl!),
    plans: await depth(sqs, region.info.outputs.PlanQueueUrl!),
    planDeadLetters: await depth(sqs, region.info.outputs.PlanDlqUrl!),
    streamFailures: await depth(sqs, QueueUrl!),
  };
}

/** Stops the cloud and the SQS clients made for it. */
export async function stopScenarioCloud(cloud: LocalCloud): Promise<void> {
  for (const region of cloud.regions) clients.get(region)?.destroy();
  await cloud.stop();
}
