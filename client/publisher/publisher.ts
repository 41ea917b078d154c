/** createPublisher: publish, publishBatch, history and occupancy over the SigV4-signed publish API. */
import { randomUUID } from 'node:crypto';
import type { AttemptContext, RequestSpec } from './attempt.js';
import { MAX_TIMER_MS, retryPolicy } from './backoff.js';
import { credentialsOf } from './credentials.js';
import { PublishBatchError, PublishError } from './errors.js';
import { normalizeEndpoint, roomMessagesPath, roomPath, urlOf } from './paths.js';
import { readBatchResults, readHistoryPage, readOccupancyList, readPublishResult, readRoomOccupancy } from './responses.js';
import { sendWithRetries } from './retry.js';
import type { BatchMessage, PublishResult, Publisher, PublisherOptions, RoomOccupancy } from './types.js';

/** The most messages the API takes in one `POST /messages`. */
export const MAX_BATCH = 25;
/** The most rooms the API takes in one `POST /occupancy`. */
export const MAX_OCCUPANCY_ROOMS = 50;
export const DEFAULT_TIMEOUT_MS = 10_000;

function jsonBody(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new PublishError({ code: 'INVALID_MESSAGE', message: `data is not JSON: ${reason}`, retryable: false, cause });
  }
}

export function createPublisher(options: PublisherOptions): Publisher {
  const endpoint = normalizeEndpoint(options.endpoint);
  if (options.region.trim() === '') throw new TypeError('region is required');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)) throw new RangeError(`timeoutMs must be from 1 to ${MAX_TIMER_MS}`);
  const policy = retryPolicy(options.retries);
  const signing = { credentials: credentialsOf(options.credentials), region: options.region, service: 'execute-api' };
  const fetchImpl = options.fetch ?? globalThis.fetch;

  function send(spec: RequestSpec, signal: AbortSignal | undefined): Promise<unknown> {
    const context: AttemptContext = { fetch: fetchImpl, signing, timeoutMs, ...(signal === undefined ? {} : { signal }) };
    return sendWithRetries(spec, context, policy);
  }

  return {
    async publish(room, data, { id = randomUUID(), signal } = {}) {
      const url = urlOf(endpoint, roomMessagesPath(room));
      return readPublishResult(await send({ method: 'POST', url, body: jsonBody({ data, id }) }, signal));
    },

    async publishBatch(messages: readonly BatchMessage[], { signal } = {}) {
      // Every id is fixed before the first request, so retries and resends never duplicate.
      const prepared = messages.map(({ room, data, id }) => ({ room, data, id: id ?? randomUUID() }));
      const ids = prepared.map((message) => message.id);
      const published: PublishResult[] = [];
      const url = urlOf(endpoint, '/messages');
      for (let offset = 0; offset < prepared.length; offset += MAX_BATCH) {
        const chunk = prepared.slice(offset, offset + MAX_BATCH);
        try {
          const answer = await send({ method: 'POST', url, body: jsonBody({ messages: chunk }) }, signal);
          published.push(...readBatchResults(answer, chunk.length));
        } catch (error) {
          if (error instanceof PublishError) throw new PublishBatchError(error, offset, [...published], ids);
          throw error;
        }
      }
      return published;
    },

    async history(room, { since, limit, signal } = {}) {
      const query = { since, limit: limit === undefined ? undefined : String(limit) };
      const url = urlOf(endpoint, roomMessagesPath(room), query);
      return readHistoryPage(await send({ method: 'GET', url }, signal));
    },

    async occupancy(room, { signal } = {}) {
      return readRoomOccupancy(await send({ method: 'GET', url: urlOf(endpoint, roomPath(room)) }, signal));
    },

    async occupancyOf(rooms, { signal } = {}) {
      const distinct = [...new Set(rooms)];
      const answers = new Map<string, RoomOccupancy>();
      const url = urlOf(endpoint, '/occupancy');
      for (let offset = 0; offset < distinct.length; offset += MAX_OCCUPANCY_ROOMS) {
        const chunk = distinct.slice(offset, offset + MAX_OCCUPANCY_ROOMS);
        for (const answer of readOccupancyList(await send({ method: 'POST', url, body: jsonBody({ rooms: chunk }) }, signal), chunk)) answers.set(answer.room, answer);
      }
      return rooms.map((room) => answers.get(room)!);
    },
  };
}
