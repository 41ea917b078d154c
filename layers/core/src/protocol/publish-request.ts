import * as v from 'valibot';
import { RoomcastError } from '../errors.js';
import { LIMITS } from '../model/limits.js';
import { assertRoomName } from '../model/rooms.js';
import { describeIssue } from './issues.js';
import { messageFrame } from './server-frames.js';

/** A message a service asks to publish, validated. */
export interface PublishRequest {
  room: string;
  data: unknown;
  id?: string;
}

const Id = v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,128}$/, 'id is 1-128 printable ASCII characters without spaces'));
const Single = v.strictObject({ data: v.unknown(), id: v.optional(Id) });
const Item = v.strictObject({ room: v.string(), data: v.unknown(), id: v.optional(Id) });
const Batch = v.strictObject({ messages: v.array(Item) });

/** Room of the path + `{"data": ..., "id"?: ...}`. */
export function parsePublishBody(room: string, body: string | undefined): PublishRequest {
  const input = parse(Single, parseJson(body), '');
  return check({ room: assertRoomName(room), data: input.data, ...(input.id ? { id: input.id } : {}) }, '');
}

/** `{"messages": [{"room", "data", "id"?}, ...]}`: every message valid, or none is taken. */
export function parseBatchBody(body: string | undefined): PublishRequest[] {
  const { messages } = parse(Batch, parseJson(body), '');
  if (messages.length === 0) throw new RoomcastError('INVALID_MESSAGE', 'messages must not be empty');
  if (messages.length > LIMITS.batchMessages) {
    throw new RoomcastError('BATCH_TOO_LARGE', `at most ${LIMITS.batchMessages} messages per batch`, { details: { limit: LIMITS.batchMessages } });
  }
  const seen = new Set<string>();
  return messages.map((item, index) => {
    const at = `messages.${index}`;
    try {
      const request = check({ room: assertRoomName(item.room), data: item.data, ...(item.id ? { id: item.id } : {}) }, at);
      // Only ids are de-duplicated: a message without one gets a new id, and never meets another.
      if (request.id !== undefined) {
        const key = `${request.room}\n${request.id}`;
        if (seen.has(key)) throw new RoomcastError('INVALID_MESSAGE', `the same id twice in one batch`, { details: { id: request.id } });
        seen.add(key);
      }
      return request;
    } catch (error) {
      if (error instanceof RoomcastError && !error.message.startsWith(at)) {
        throw new RoomcastError(error.code, `${at}: ${error.message}`, { details: { index, ...error.details } });
      }
      throw error;
    }
  });
}

function parseJson(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? '');
  } catch {
    throw new RoomcastError('INVALID_JSON', 'the body is not JSON');
  }
}

function parse<T extends v.GenericSchema>(schema: T, input: unknown, at: string): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  // A batch message's own problem names the message, as the checks after parsing do.
  const [list, item] = issue.path ?? [];
  const index = list?.key === 'messages' && typeof item?.key === 'number' ? item.key : undefined;
  throw new RoomcastError('INVALID_MESSAGE', describeIssue(issue, at, 'body'), index === undefined ? {} : { details: { index } });
}

/** `data` must be present, JSON, not too deep, and its frame must fit a WebSocket message. */
function check(request: PublishRequest, at: string): PublishRequest {
  const prefix = at ? `${at}: ` : '';
  if (request.data === undefined) throw new RoomcastError('INVALID_MESSAGE', `${prefix}data is required`);
  if (depth(request.data) > LIMITS.dataDepth) throw new RoomcastError('INVALID_MESSAGE', `${prefix}data is nested deeper than ${LIMITS.dataDepth}`);
  const frame = messageFrame({ room: request.room, id: request.id ?? 'x'.repeat(36), pos: '0'.repeat(16), ts: 1e13, origin: '', data: request.data });
  const limit = LIMITS.messageBytes - LIMITS.frameSlack;
  if (Buffer.byteLength(frame) > limit) {
    throw new RoomcastError('MESSAGE_TOO_LARGE', `${prefix}the message frame would be ${Buffer.byteLength(frame)} bytes; the limit is ${limit}`);
  }
  return request;
}

function depth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, level] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, level);
    if (deepest > LIMITS.dataDepth) return deepest;
    for (const child of Object.values(item)) stack.push([child, level + 1]);
  }
  return deepest;
}
