import { asObject, type TemplateContext } from './context.js';
import { TemplateError, type Json, type QueueModel } from './types.js';

/** CloudFormation property -> CreateQueue attribute (the same names, as strings). */
const ATTRIBUTES = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'MaximumMessageSize',
  'ReceiveMessageWaitTimeSeconds',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'RedrivePolicy',
  'RedriveAllowPolicy',
];

/** Every queue, dead-letter queues before the queues that send to them. */
export function readQueues(ctx: TemplateContext): QueueModel[] {
  const queues = ctx.ofType('AWS::SQS::Queue').map(({ logicalId }) => {
    const path = `Resources.${logicalId}.Properties`;
    const props = asObject(ctx.resolve(ctx.resources.get(logicalId)?.properties, path), path);
    const identity = ctx.identity(logicalId, path);
    const attributes: Record<string, string> = {};
    for (const key of ATTRIBUTES) {
      const value = props[key];
      if (value !== undefined && value !== null) attributes[key] = attributeText(value);
    }
    const model: QueueModel = {
      logicalId,
      name: identity.name,
      url: String(identity.ref),
      arn: String(identity.attributes.Arn),
      attributes,
    };
    if (typeof props.QueueName === 'string') model.declaredName = props.QueueName;
    return model;
  });
  for (const queue of queues) {
    const policy = queue.attributes.RedrivePolicy;
    if (policy === undefined) continue;
    const target = (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    const dlq = queues.find((other) => other.arn === target);
    if (dlq) queue.deadLetterQueue = dlq.logicalId;
  }
  return dlqFirst(queues);
}

function attributeText(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function dlqFirst(queues: QueueModel[]): QueueModel[] {
  const byId = new Map(queues.map((queue) => [queue.logicalId, queue]));
  const ordered: QueueModel[] = [];
  const visiting = new Set<string>();
  const visit = (queue: QueueModel): void => {
    if (ordered.includes(queue)) return;
    if (visiting.has(queue.logicalId)) throw new TemplateError(`Resources.${queue.logicalId}: redrive policies form a cycle`);
    visiting.add(queue.logicalId);
    const dlq = queue.deadLetterQueue ? byId.get(queue.deadLetterQueue) : undefined;
    if (dlq) visit(dlq);
    visiting.delete(queue.logicalId);
    ordered.push(queue);
  };
  queues.forEach(visit);
  return ordered;
}
