/** A publisher wired to a fresh fake API, closed after each test, and a way to catch its errors. */
import { afterEach } from 'vitest';
import { createPublisher, PublishError, type Publisher, type PublisherOptions } from '../../client/publisher/index.js';
import { CREDENTIALS, REGION, startFakeApi, type FakeApi } from './fake-publish.js';

/** Small backoff: the tests wait milliseconds, not seconds. */
export const FAST = { attempts: 4, baseMs: 1, capMs: 5 };

const running: FakeApi[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((api) => api.close()));
});

export async function startApi(options: { stage?: string } = {}): Promise<FakeApi> {
  const api = await startFakeApi(options);
  running.push(api);
  return api;
}

export async function publisherFor(options: Partial<PublisherOptions> = {}, stage?: string): Promise<{ api: FakeApi; publisher: Publisher }> {
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
