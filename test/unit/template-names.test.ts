import { describe, expect, it } from 'vitest';
import { parseTemplateText, readTemplate, type ReadOptions } from '../../local/template/index.js';

// Physical names: a resource that declares its own is called that, as on AWS; the
// stack-name prefix is only for the others.
const TEMPLATE = `
Parameters:
  TableName: { Type: String, Default: simplechat_connections }
Resources:
  Named:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Ref TableName
      AttributeDefinitions: [{ AttributeName: connectionId, AttributeType: S }]
      KeySchema: [{ AttributeName: connectionId, KeyType: HASH }]
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
      SSESpecification: { SSEEnabled: true }
  Unnamed: { Type: AWS::DynamoDB::Table, Properties: { KeySchema: [{ AttributeName: id, KeyType: HASH }] } }
  Simple: { Type: AWS::Serverless::SimpleTable, Properties: { TableName: simple_things } }
  Jobs: { Type: AWS::SQS::Queue, Properties: { QueueName: jobs } }
  Orders: { Type: AWS::SQS::Queue, Properties: { QueueName: orders.fifo, FifoQueue: true } }
  Plain: { Type: AWS::SQS::Queue }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: chat-send
      CodeUri: f
      Handler: app.handler
      Environment: { Variables: { TABLE_NAME: !Ref TableName, TABLE_REF: !Ref Named, QUEUE: !GetAtt Jobs.QueueName } }
`;

const read = (options: ReadOptions = {}) => readTemplate(parseTemplateText(TEMPLATE), { stackName: 'chat', ...options });
const names = (options: ReadOptions = {}) => {
  const model = read(options);
  return {
    tables: Object.fromEntries(model.tables.map((table) => [table.logicalId, table.create.TableName])),
    queues: Object.fromEntries(model.queues.map((queue) => [queue.logicalId, queue.name])),
  };
};

describe('physical names', () => {
  it('uses the names the template declares, and the stack prefix for the others', () => {
    expect(names()).toEqual({
      tables: { Named: 'simplechat_connections', Unnamed: 'chat-Unnamed', Simple: 'simple_things' },
      queues: { Jobs: 'jobs', Orders: 'orders.fifo', Plain: 'chat-Plain' },
    });
  });

  it("gives a function's variables the same name the table is created with", () => {
    const fn = read().functions.find((item) => item.logicalId === 'Fn')!;
    expect(fn.name).toBe('chat-send');
    expect(fn.environment).toEqual({ TABLE_NAME: 'simplechat_connections', TABLE_REF: 'simplechat_connections', QUEUE: 'jobs' });
  });

  it('keeps the names of regions apart when several share the local services', () => {
    expect(names({ region: 'eu-west-1', regionalNames: true })).toEqual({
      tables: { Named: 'simplechat_connections-eu-west-1', Unnamed: 'chat-eu-west-1-Unnamed', Simple: 'simple_things-eu-west-1' },
      queues: { Jobs: 'jobs-eu-west-1', Orders: 'orders-eu-west-1.fifo', Plain: 'chat-eu-west-1-Plain' },
    });
  });

  it('accepts provisioned throughput and encryption settings (the local table is on demand)', () => {
    const model = read();
    expect(model.warnings).toEqual([expect.stringMatching(/Fn: entry file .* does not exist/)]);
    expect(model.tables.find((table) => table.logicalId === 'Named')!.create.BillingMode).toBe('PAY_PER_REQUEST');
  });
});
