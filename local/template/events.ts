import { asObject, type TemplateContext } from './context.js';
import { byAttribute, byRef, functionIn, tableOfStream } from './lookup.js';
import type { FunctionEvent, Json, JsonObject } from './types.js';

const HTTP_API_TYPES = ['AWS::Serverless::HttpApi', 'AWS::ApiGatewayV2::Api'];

/** A function's SAM `Events`, resolved and linked to the resources of this template. */
export function readEvents(ctx: TemplateContext, logicalId: string): FunctionEvent[] {
  const path = `Resources.${logicalId}.Properties.Events`;
  const events = asObject(ctx.resources.get(logicalId)?.properties.Events, path);
  return Object.entries(events).map(([name, raw]) => {
    const event = asObject(ctx.resolve(raw, `${path}.${name}`), `${path}.${name}`);
    const properties = asObject(event.Properties, `${path}.${name}.Properties`);
    return toEvent(ctx, name, String(event.Type), properties);
  });
}

/** AWS::Lambda::EventSourceMapping resources, as events of the functions they feed. */
export function readEventSourceMappings(ctx: TemplateContext): Map<string, FunctionEvent[]> {
  const out = new Map<string, FunctionEvent[]>();
  for (const { logicalId } of ctx.ofType('AWS::Lambda::EventSourceMapping')) {
    const path = `Resources.${logicalId}.Properties`;
    const props = asObject(ctx.resolve(ctx.resources.get(logicalId)?.properties, path), path);
    const target = functionIn(ctx, props.FunctionName);
    if (!target) {
      ctx.warnings.push(`${path}.FunctionName: no function of this template; the mapping is not run`);
      continue;
    }
    const source = String(props.EventSourceArn ?? '');
    const type = source.startsWith('arn:aws:sqs:') ? 'SQS' : source.startsWith('arn:aws:dynamodb:') ? 'DynamoDB' : 'Other';
    out.set(target, [...(out.get(target) ?? []), toEvent(ctx, logicalId, type, props, source)]);
  }
  return out;
}

/** Provisioned mode: an SQS event poller runs up to 10 invocations at once (Lambda's documentation). */
const INVOCATIONS_PER_POLLER = 10;

/** `source`: the event source ARN when it is not in SAM's place (`Queue` / `Stream`). */
function toEvent(ctx: TemplateContext, name: string, type: string, properties: JsonObject, source?: string): FunctionEvent {
  const responseTypes = Array.isArray(properties.FunctionResponseTypes) ? properties.FunctionResponseTypes.map(String) : [];
  const reportBatchItemFailures = responseTypes.includes('ReportBatchItemFailures');
  const enabled = String(properties.Enabled ?? true) !== 'false';
  switch (type) {
    case 'SQS': {
      const queueArn = source ?? String(properties.Queue ?? '');
      const scaling = asObject(properties.ScalingConfig, `${name}.ScalingConfig`);
      const event: FunctionEvent = {
        type: 'SQS',
        name,
        properties,
        queueArn,
        batchSize: num(properties.BatchSize) ?? 10,
        maximumBatchingWindowInSeconds: num(properties.MaximumBatchingWindowInSeconds) ?? 0,
        reportBatchItemFailures,
        enabled,
      };
      const queue = byAttribute(ctx, ['AWS::SQS::Queue'], 'Arn', queueArn);
      if (queue) event.queue = queue;
      const maximumConcurrency = num(scaling.MaximumConcurrency);
      if (maximumConcurrency !== undefined) event.maximumConcurrency = maximumConcurrency;
      if (properties.ProvisionedPollerConfig !== undefined) {
        const pollers = asObject(properties.ProvisionedPollerConfig, `${name}.ProvisionedPollerConfig`);
        event.provisionedPollers = { minimum: num(pollers.MinimumPollers) ?? 2, maximum: num(pollers.MaximumPollers) ?? 200 };
        event.maximumConcurrency = event.provisionedPollers.maximum * INVOCATIONS_PER_POLLER;
      }
      return event;
    }
    case 'DynamoDB': {
      const streamArn = source ?? String(properties.Stream ?? '');
      const event: FunctionEvent = {
        type: 'DynamoDB',
        name,
        properties,
        streamArn,
        startingPosition: String(properties.StartingPosition ?? 'LATEST'),
        batchSize: num(properties.BatchSize) ?? 100,
        bisectBatchOnFunctionError: String(properties.BisectBatchOnFunctionError ?? false) === 'true',
        reportBatchItemFailures,
        enabled,
      };
      const table = tableOfStream(ctx, streamArn);
      if (table) event.table = table;
      const retries = num(properties.MaximumRetryAttempts);
      if (retries !== undefined) event.maximumRetryAttempts = retries;
      const onFailure = asObject(asObject(properties.DestinationConfig, 'DestinationConfig').OnFailure, 'OnFailure').Destination;
      const failureQueue = byAttribute(ctx, ['AWS::SQS::Queue'], 'Arn', onFailure);
      if (failureQueue) event.onFailureQueue = failureQueue;
      return event;
    }
    case 'HttpApi': {
      const api = properties.ApiId === undefined ? 'ServerlessHttpApi' : byRef(ctx, HTTP_API_TYPES, properties.ApiId);
      const auth = asObject(properties.Auth, `${name}.Auth`);
      const event: FunctionEvent = {
        type: 'HttpApi',
        name,
        properties,
        api: api ?? String(properties.ApiId),
        method: String(properties.Method ?? 'ANY').toUpperCase(),
        path: String(properties.Path ?? '$default'),
      };
      if (typeof auth.Authorizer === 'string') event.authorizer = auth.Authorizer;
      return event;
    }
    case 'Schedule':
    case 'ScheduleV2': {
      const event: FunctionEvent = {
        type: 'Schedule',
        name,
        properties,
        schedule: String(properties.Schedule ?? properties.ScheduleExpression ?? ''),
        enabled: enabled && String(properties.State ?? 'ENABLED') !== 'DISABLED',
      };
      if (typeof properties.Input === 'string') event.input = properties.Input;
      return event;
    }
    default:
      return { type: 'Other', sourceType: type, name, properties };
  }
}

function num(value: Json | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
