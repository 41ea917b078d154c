/**
 * `POST /_roomcast/publish {room, data, id?}`: the console page publishes through the local
 * HTTP API with the local credentials (a browser cannot sign SigV4), using the publisher
 * client. Answers like the publish API: 202 `{room, id, pos}`, or `{error: {code, message,
 * retryable, details?}}` with the protocol's codes.
 */
import { createPublisher, PublishError, type Publisher } from '@roomcast/client/publisher';
import type { CloudInfo } from '../cloud/options.js';

export interface ConsoleAnswer {
  status: number;
  body: unknown;
}

interface PublishRequest {
  room: string;
  data: unknown;
  id?: string;
}

const publishers = new WeakMap<CloudInfo, Publisher>();

function publisherOf(info: CloudInfo): Publisher {
  let publisher = publishers.get(info);
  if (!publisher) {
    const { publishUrl, region, accessKeyId, secretAccessKey } = info;
    publisher = createPublisher({ endpoint: publishUrl, region, credentials: { accessKeyId, secretAccessKey }, retries: { attempts: 3 } });
    publishers.set(info, publisher);
  }
  return publisher;
}

function failure(status: number, code: string, message: string, retryable = false, details?: Record<string, unknown>): ConsoleAnswer {
  return { status, body: { error: { code, message, retryable, ...(details ? { details } : {}) } } };
}

/** The request's fields, or the answer that refuses it. */
function parseRequest(text: string): PublishRequest | ConsoleAnswer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return failure(400, 'INVALID_JSON', 'the request body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return failure(400, 'INVALID_MESSAGE', 'the body must be {"room", "data", "id"?}');
  const { room, data, id } = value as Record<string, unknown>;
  if (typeof room !== 'string' || room === '') return failure(400, 'INVALID_ROOM', 'room must be a room name');
  if (data === undefined) return failure(400, 'INVALID_MESSAGE', 'data is missing');
  if (id !== undefined && (typeof id !== 'string' || id === '')) return failure(400, 'INVALID_MESSAGE', 'id must be a non-empty string');
  return { room, data, ...(id === undefined ? {} : { id }) };
}

export async function publishFromConsole(info: CloudInfo, body: string): Promise<ConsoleAnswer> {
  if (!info.publishUrl) return failure(404, 'NOT_FOUND', 'this template has no HTTP API to publish through');
  const request = parseRequest(body);
  if ('status' in request) return request;
  try {
    const result = await publisherOf(info).publish(request.room, request.data, request.id === undefined ? {} : { id: request.id });
    return { status: 202, body: result };
  } catch (error) {
    if (!(error instanceof PublishError)) throw error;
    // No status: the publisher refused the request itself (400), or no answer came (502).
    const status = error.status ?? (error.retryable ? 502 : 400);
    return failure(status, error.code, error.message, error.retryable, error.details);
  }
}
