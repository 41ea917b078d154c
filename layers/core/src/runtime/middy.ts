import middy, { type MiddlewareObj, type MiddyfiedHandler } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import type { App } from '../app/context.js';

/**
 * Every roomcast handler is a middy handler with the same outer layers: Powertools'
 * `injectLambdaContext` (the invocation's keys on every log line, removed after it) and
 * the metrics flush. Middy's early timeout stays off: Lambda's own timeout decides, as it
 * does for every other runtime, and an SQS batch cut short is retried either way.
 */
export function roomcastHandler<TEvent, TResult, TContext extends Context = Context>(
  app: App,
  logKeys: (event: TEvent) => Record<string, unknown>,
): MiddyfiedHandler<TEvent, TResult, Error, TContext> {
  return middy<TEvent, TResult, Error, TContext>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(app.logger, { resetKeys: true }))
    .use(flushTelemetry(app))
    .use({ before: (request) => void app.logger.appendKeys(logKeys(request.event)) });
}

/** What a function exports: called as Lambda calls it, or with the event alone (tests, a local invoke). */
export type LambdaHandler<TEvent, TResult> = (event: TEvent, context?: Context) => Promise<TResult>;

/** Middy fills in a missing context; its own type asks for one. */
export function lambdaHandler<TEvent, TResult, TContext extends Context>(handler: MiddyfiedHandler<TEvent, TResult, Error, TContext>): LambdaHandler<TEvent, TResult> {
  return handler as unknown as LambdaHandler<TEvent, TResult>;
}

/**
 * Write the invocation's metrics, after it and after its failure. Our own, not Powertools'
 * `logMetrics`: that one warns on every invocation that recorded nothing (a ping, a
 * refused frame), and the telemetry port writes nothing then (adapters/telemetry.ts).
 */
export function flushTelemetry(app: App): MiddlewareObj {
  const flush = (): void => app.metrics.flush();
  return { after: flush, onError: flush };
}
