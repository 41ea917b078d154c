import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A template that cannot be read: the message says where (a dotted path) and why. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

export type ParameterValue = string | number | boolean | string[];

export interface ReadOptions {
  /** Stack name: prefix of every local physical name. Default `roomcast`. */
  stackName?: string;
  /** Default `us-east-1`. */
  region?: string;
  /** Default `000000000000`. */
  accountId?: string;
  /**
   * Table and queue names carry the region: `${stackName}-${region}-${logicalId}`, for
   * several regions in one DynamoDB Local and one SQS emulator. Default false.
   */
  regionalNames?: boolean;
  /** Parameter overrides (win over defaults). */
  parameters?: Record<string, ParameterValue>;
  /** The URL of a queue by its physical name, e.g. the one the SQS emulator returned. */
  queueUrl?: ((name: string) => string | undefined) | Record<string, string>;
  /** Values of `Fn::ImportValue` by export name. */
  imports?: Record<string, string>;
  /** Folder that `CodeUri` is relative to (the template's folder). Default: the current folder. */
  baseDir?: string;
}

export interface TableModel {
  logicalId: string;
  type: string;
  /** Local physical name: `${stackName}-${logicalId}` (with `regionalNames`, `${stackName}-${region}-${logicalId}`). */
  name: string;
  /** The name the template asks for on AWS, if any. */
  declaredName?: string;
  arn: string;
  create: CreateTableCommandInput;
  ttlAttribute?: string;
  streamViewType?: string;
}

export interface QueueModel {
  logicalId: string;
  name: string;
  declaredName?: string;
  url: string;
  arn: string;
  /** CreateQueue attributes, all strings as the API wants them. */
  attributes: Record<string, string>;
  /** Logical id of the dead-letter queue named by RedrivePolicy, if it is in this template. */
  deadLetterQueue?: string;
}

interface EventBase {
  /** The event's key under `Events` (or the mapping's logical id). */
  name: string;
  /** All properties, resolved. */
  properties: JsonObject;
}

export interface SqsEvent extends EventBase {
  type: 'SQS';
  queueArn: string;
  /** Logical id of the queue when it is in this template. */
  queue?: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  reportBatchItemFailures: boolean;
  /** `ScalingConfig.MaximumConcurrency`, or in provisioned mode what the most pollers run. */
  maximumConcurrency?: number;
  /** `ProvisionedPollerConfig`, with AWS's defaults (2 and 200) for what it leaves out. */
  provisionedPollers?: { minimum: number; maximum: number };
  enabled: boolean;
}

export interface DynamoDbEvent extends EventBase {
  type: 'DynamoDB';
  streamArn: string;
  /** Logical id of the table whose stream this is. */
  table?: string;
  startingPosition: string;
  batchSize: number;
  maximumRetryAttempts?: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  /** Logical id of the on-failure destination queue, if any. */
  onFailureQueue?: string;
  enabled: boolean;
}

export interface HttpApiEvent extends EventBase {
  type: 'HttpApi';
  /** Logical id of the HTTP API (`ServerlessHttpApi` when implicit). */
  api: string;
  method: string;
  path: string;
  /** `NONE`, `AWS_IAM`, or an authorizer's name; undefined: the API's default. */
  authorizer?: string;
}

export interface ScheduleEvent extends EventBase {
  type: 'Schedule';
  schedule: string;
  enabled: boolean;
  input?: string;
}

export interface OtherEvent extends EventBase {
  type: 'Other';
  sourceType: string;
}

export type FunctionEvent = SqsEvent | DynamoDbEvent | HttpApiEvent | ScheduleEvent | OtherEvent;

export interface FunctionModel {
  logicalId: string;
  name: string;
  arn: string;
  codeUri?: string;
  /** Absolute path of the source file to import (undefined for inline code). */
  entry?: string;
  /** Export name of the handler, e.g. `handler`. */
  handler: string;
  /** The template's `Handler`, e.g. `index.handler`. */
  handlerSpec: string;
  runtime?: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  events: FunctionEvent[];
  reservedConcurrency?: number;
  layers: string[];
}

export interface RouteAuthorizer {
  logicalId: string;
  type: string;
  /** Logical id of the authorizer function. */
  function?: string;
  identitySources: string[];
}

export interface WebSocketRoute {
  routeKey: string;
  logicalId: string;
  /** Logical id of the function behind the route's integration. */
  function?: string;
  authorizationType: string;
  authorizer?: RouteAuthorizer;
  /** A RouteResponse exists: the integration's answer is sent back to the client. */
  hasRouteResponse: boolean;
  routeResponseSelectionExpression?: string;
}

/** The stage's `DefaultRouteSettings` throttling (what a route of the stage allows by default). */
export interface RouteThrottling {
  burstLimit?: number;
  rateLimit?: number;
}

/** A WebSocket API, read from SAM's `AWS::Serverless::WebSocketApi` or from ApiGatewayV2 resources (or both: raw routes of a SAM API). */
export interface WebSocketApiModel {
  logicalId: string;
  id: string;
  name: string;
  routeSelectionExpression: string;
  stageName: string;
  stages: string[];
  routes: Record<string, WebSocketRoute>;
  /** Of the first stage, when it sets any. */
  throttling?: RouteThrottling;
}

export interface HttpRoute {
  method: string;
  path: string;
  function?: string;
  auth: { type: 'NONE' | 'AWS_IAM' | 'JWT' | 'CUSTOM'; authorizer?: string; function?: string };
}

export interface HttpApiModel {
  logicalId: string;
  id: string;
  stageName: string;
  routes: HttpRoute[];
}

export interface TemplateModel {
  stackName: string;
  region: string;
  accountId: string;
  parameters: Record<string, string | string[]>;
  conditions: Record<string, boolean>;
  /** Every kept resource's type, by logical id. */
  resources: Record<string, string>;
  /** Logical ids dropped because their Condition is false. */
  dropped: string[];
  tables: TableModel[];
  /** Dead-letter queues come before the queues that use them. */
  queues: QueueModel[];
  functions: FunctionModel[];
  websocketApis: WebSocketApiModel[];
  httpApis: HttpApiModel[];
  outputs: Record<string, string>;
  warnings: string[];
}
