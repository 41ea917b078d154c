import type { App } from '../app/context.js';
import { lambdaHandler, roomcastHandler } from './middy.js';

/** The parts of an EventBridge scheduled event roomcast reads. */
export interface ScheduledEvent {
  id?: string;
  time?: string;
}

/**
 * A scheduled function (an EventBridge `Schedule` event): one run of the use case per
 * invocation, its metrics flushed, a failure logged and thrown (Lambda's Errors metric).
 */
export function scheduledHandler<T>(app: App, useCase: () => Promise<T>) {
  const handler = roomcastHandler<ScheduledEvent | undefined, T>(app, (event) => ({ scheduledAt: event?.time }))
    .use({ onError: (request) => void app.logger.error('scheduled run failed', { error: request.error }) })
    .handler(() => useCase());
  return lambdaHandler(handler);
}
