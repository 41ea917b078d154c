/**
 * Where an invocation acts: on a running local cloud (its DynamoDB Local, SQS emulator,
 * stack name, region and gateway), or on DynamoDB Local and the SQS emulator started for
 * this invocation alone, with the template's tables and queues, stopped after it.
 */
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalUrls } from '../cloud/endpoints.js';
import type { CloudInfo } from '../cloud/options.js';
import { regionServices, startServiceProcesses } from '../cloud/services.js';
import type { Teardown } from '../cloud/teardown.js';
import type { JsonObject, QueueModel, ReadOptions, TableModel } from '../template/index.js';
import { readTemplate } from '../template/index.js';

export interface Place {
  stackName: string;
  region: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  /** Queue URLs by physical name. */
  queueUrls: Record<string, string>;
  /** The gateway's and the HTTP API's URLs, in place of the AWS ones. */
  urls: LocalUrls;
}

/** The running cloud's services; its queues must exist (it runs this template). */
export async function cloudPlace(info: CloudInfo, template: JsonObject, read: ReadOptions): Promise<Place> {
  const { queues } = readTemplate(template, { ...read, stackName: info.stackName, region: info.region });
  const sqs = new SQSClient({ region: info.region, endpoint: info.sqsEndpoint, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey } });
  try {
    const queueUrls = Object.fromEntries(await Promise.all(queues.map(async (queue) => [queue.name, await queueUrl(sqs, queue)] as const)));
    return {
      stackName: info.stackName,
      region: info.region,
      dynamodbEndpoint: info.dynamodbEndpoint,
      sqsEndpoint: info.sqsEndpoint,
      queueUrls,
      urls: { wsUrl: info.wsUrl, connectionsUrl: info.connectionsUrl, publishUrl: info.publishUrl },
    };
  } finally {
    sqs.destroy();
  }
}

async function queueUrl(sqs: SQSClient, queue: QueueModel): Promise<string> {
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queue.name }));
    if (QueueUrl) return QueueUrl;
  } catch {
    // reported below
  }
  throw new Error(`the running local cloud has no queue ${queue.name} (${queue.logicalId}): does it run this template?`);
}

/**
 * DynamoDB Local and the SQS emulator on free ports, with the template's tables and queues;
 * the teardown stops them. `urls` stand for the gateway and the HTTP API, which do not run.
 */
export async function ownPlace(
  template: JsonObject,
  read: ReadOptions & { stackName: string; region: string },
  urls: LocalUrls,
  teardown: Teardown,
): Promise<Place> {
  const model = readTemplate(template, read);
  const resources: { tables: TableModel[]; queues: QueueModel[] } = { tables: model.tables, queues: model.queues };
  const processes = await startServiceProcesses({ host: '127.0.0.1', dynamodbPort: 0, sqsPort: 0 }, teardown);
  const services = await regionServices(processes, read.region, resources, { deleteResources: false }, teardown);
  await services.tables;
  return {
    stackName: read.stackName,
    region: read.region,
    dynamodbEndpoint: services.dynamodbEndpoint,
    sqsEndpoint: services.sqsEndpoint,
    queueUrls: Object.fromEntries(Object.values(services.queues).map((queue) => [queue.name, queue.url])),
    urls,
  };
}
