/**
 * A publisher wired to the product's publish API (product-api.ts) on a fresh stack, closed
 * after each test, and a way to catch its errors. The DynamoDB Local and SQS emulator under
 * the stacks are the run's (global setup) or this file's own, started at the first use.
 */
import { afterAll, afterEach, vi } from 'vitest';
import { createPublisher, PublishError, type Publisher, type PublisherOptions } from '../../client/publisher/index.js';
import { startStack, type Stack } from '../support/stack.js';
import { CREDENTIALS, REGION, startProductApi, type ProductApi } from './product-api.js';

// Starting this file's own DynamoDB Local (a JVM) may take a while on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 120_000 });

/** Small backoff: the tests wait milliseconds, not seconds. */
export const FAST = { attempts: 4, baseMs: 1, capMs: 5 };

const running: ProductApi[] = [];
/** A stack whose only use is its services: each API gets a stack of its own on them. */
let services: Promise<Stack> | undefined;

afterEach(async () => {
  await Promise.all(running.splice(0).map((api) => api.close()));
});
afterAll(async () => {
  await (await services?.catch(() => undefined))?.stop();
});

export async function startApi(options: { stage?: string } = {}): Promise<ProductApi> {
  services ??= startStack();
  const { dynamodb, sqs } = (await services).endpoints;
  const api = await startProductApi({ dynamodb, sqs }, options);
  running.push(api);
  return api;
}

export async function publisherFor(options: Partial<PublisherOptions> = {}, stage?: string): Promise<{ api: ProductApi; publisher: Publisher }> {
  const api = await startApi(stage === undefined ? {} : { stage });
  const endpoint = stage === undefined ? api.url : `${api.url}/${stage}/`;
  return { api, publisher: createPublisher({ endpoint, region: REGION, credentials: CREDENTIALS, retries: FAST, ...options }) };
}

export async function failureOf(promise: Promise<unknown>): Promise<PublishError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PublishError)) throw new Error(`expected a PublishError, got ${String(error)}`);
  return error;
}
