import { DEFAULT_LIMITS } from '../gateway/index.js';
import type { InvokeOptions } from '../lambda/index.js';
import type { TemplateModel } from '../template/index.js';

/** An API call waits for an environment this long at most: API Gateway's integration timeout. */
export const API_QUEUE_TIMEOUT_MS = DEFAULT_LIMITS.integrationTimeoutMs;

/**
 * How an API (the gateway, the HTTP API) invokes a function. One without reserved concurrency
 * runs at once on AWS, in an environment of its own; locally the environments are few (the
 * runtime's default concurrency), so the call waits for one, up to the integration timeout,
 * rather than being throttled after the runtime's usual wait: a burst is slow here, not
 * refused. One with reserved concurrency is throttled as on AWS once that many run.
 */
export function apiInvokeOptions(model: TemplateModel, target: string): InvokeOptions {
  const fn = model.functions.find((item) => item.logicalId === target);
  return fn?.reservedConcurrency === undefined ? { queueTimeoutMs: API_QUEUE_TIMEOUT_MS } : {};
}
