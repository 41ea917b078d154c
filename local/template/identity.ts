import { createHash } from 'node:crypto';
import type { Json } from './types.js';

/** What a resource's Ref and GetAtt give locally. */
export interface Identity {
  /** Local physical name (tables, queues, functions, roles...) when it has one. */
  name: string;
  ref: Json;
  attributes: Record<string, Json>;
}

export interface IdentityEnv {
  stackName: string;
  region: string;
  accountId: string;
  /** Put the region in table and queue names (several regions share one DynamoDB Local and one SQS emulator). */
  regionalNames?: boolean;
  queueUrl(name: string): string | undefined;
}

/** Reads one property of the resource, resolved (undefined when absent). */
export type PropertyReader = (key: string) => Json | undefined;

/** A stable, API-Gateway-looking id (10 lowercase letters and digits) for a local resource. */
export function localId(stackName: string, logicalId: string): string {
  const digest = createHash('sha256').update(`${stackName}/${logicalId}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, 10), (byte) => alphabet[byte % alphabet.length]).join('');
}

export function identify(logicalId: string, type: string, prop: PropertyReader, env: IdentityEnv): Identity {
  const { stackName, region, accountId } = env;
  const stackScoped = `${stackName}-${logicalId}`;
  const dataScoped = env.regionalNames ? `${stackName}-${region}-${logicalId}` : stackScoped;
  const declared = (key: string): string | undefined => {
    const value = prop(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const arn = (service: string, resource: string, inRegion = region): string => `arn:aws:${service}:${inRegion}:${accountId}:${resource}`;
  const id = localId(stackName, logicalId);
  // A table's or queue's own name, as AWS uses it; several local regions share one DynamoDB
  // Local and one SQS emulator, so there it carries the region too.
  const dataName = (key: string): string => {
    const own = declared(key);
    if (own === undefined) return dataScoped;
    return env.regionalNames ? `${own}-${region}` : own;
  };

  switch (type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::Serverless::SimpleTable': {
      const name = dataName('TableName');
      const tableArn = arn('dynamodb', `table/${name}`);
      return { name, ref: name, attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/local`, TableId: id } };
    }
    case 'AWS::SQS::Queue': {
      const fifo = String(prop('FifoQueue')) === 'true';
      const base = dataName('QueueName').replace(/\.fifo(?=-|$)/, '');
      const name = fifo ? `${base}.fifo` : base;
      const url = env.queueUrl(name) ?? `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
      return { name, ref: url, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::Serverless::Function':
    case 'AWS::Lambda::Function': {
      const name = declared('FunctionName') ?? stackScoped;
      return { name, ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    }
    case 'AWS::ApiGatewayV2::Api':
    case 'AWS::Serverless::WebSocketApi':
    case 'AWS::Serverless::HttpApi':
    case 'AWS::Serverless::Api':
    case 'AWS::ApiGateway::RestApi': {
      const websocket = type === 'AWS::Serverless::WebSocketApi' || String(prop('ProtocolType')).toUpperCase() === 'WEBSOCKET';
      const scheme = websocket ? 'wss' : 'https';
      const endpoint = `${scheme}://${id}.execute-api.${region}.amazonaws.com`;
      return { name: id, ref: id, attributes: { ApiId: id, ApiEndpoint: endpoint, RestApiId: id, RootResourceId: localId(id, 'root') } };
    }
    case 'AWS::ApiGatewayV2::Stage':
    case 'AWS::ApiGateway::Stage': {
      const name = declared('StageName') ?? '$default';
      return { name, ref: name, attributes: {} };
    }
    case 'AWS::IAM::Role': {
      const name = declared('RoleName') ?? stackScoped;
      return { name, ref: name, attributes: { Arn: `arn:aws:iam::${accountId}:role/${name}`, RoleId: id.toUpperCase() } };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const name = declared('ManagedPolicyName') ?? stackScoped;
      const policyArn = `arn:aws:iam::${accountId}:policy/${name}`;
      return { name, ref: policyArn, attributes: { PolicyArn: policyArn } };
    }
    case 'AWS::SNS::Topic': {
      const name = declared('TopicName') ?? stackScoped;
      const topicArn = arn('sns', name);
      return { name, ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = declared('LogGroupName') ?? stackScoped;
      return { name, ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    case 'AWS::Lambda::LayerVersion':
    case 'AWS::Serverless::LayerVersion': {
      const name = declared('LayerName') ?? stackScoped;
      const layerArn = arn('lambda', `layer:${name}:1`);
      return { name, ref: layerArn, attributes: { LayerVersionArn: layerArn } };
    }
    case 'AWS::SecretsManager::Secret': {
      const name = declared('Name') ?? stackScoped;
      const secretArn = arn('secretsmanager', `secret:${name}-${id.slice(0, 6)}`);
      return { name, ref: secretArn, attributes: { Id: secretArn } };
    }
    case 'AWS::SSM::Parameter': {
      const name = declared('Name') ?? stackScoped;
      return { name, ref: name, attributes: { Type: prop('Type') ?? 'String', Value: prop('Value') ?? '' } };
    }
    case 'AWS::CloudWatch::Alarm': {
      const name = declared('AlarmName') ?? stackScoped;
      return { name, ref: name, attributes: { Arn: arn('cloudwatch', `alarm:${name}`) } };
    }
    default: {
      if (type.startsWith('AWS::ApiGatewayV2::') || type.startsWith('AWS::ApiGateway::')) {
        return { name: id, ref: id, attributes: { [`${type.split('::')[2] ?? 'Resource'}Id`]: id } };
      }
      const service = (type.split('::')[1] ?? 'local').toLowerCase();
      return { name: stackScoped, ref: stackScoped, attributes: { Arn: arn(service, `${logicalId}/${stackScoped}`) } };
    }
  }
}
