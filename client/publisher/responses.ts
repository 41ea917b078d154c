/** Reads the success answers of the publish API, refusing shapes it never sends. */
import { PublishError } from './errors.js';
import { readMessage } from '../message.js';
import type { HistoryMessage, HistoryPage, PublishResult } from './types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unexpected(what: string): PublishError {
  return new PublishError({ code: 'BAD_RESPONSE', message: `unexpected answer: ${what}`, retryable: false });
}

function publishResultOf(value: unknown): PublishResult {
  if (!isRecord(value)) throw unexpected('a result is not an object');
  const { room, id, pos } = value;
  if (typeof room !== 'string' || typeof id !== 'string' || typeof pos !== 'string') throw unexpected('a result lacks room, id or pos');
  return { room, id, pos };
}

/** `202 {"room","id","pos"}`. */
export function readPublishResult(body: unknown): PublishResult {
  return publishResultOf(body);
}

/** `202 {"messages":[{"room","id","pos"}, ...]}`, one per message sent, in input order. */
export function readBatchResults(body: unknown, sent: number): PublishResult[] {
  const messages = isRecord(body) ? body['messages'] : undefined;
  if (!Array.isArray(messages)) throw unexpected('no messages array');
  if (messages.length !== sent) throw unexpected(`${messages.length} results for ${sent} messages`);
  return messages.map(publishResultOf);
}

function historyMessageOf(room: string, value: unknown): HistoryMessage {
  const message = readMessage(room, value);
  if (!message) throw unexpected('a history message lacks id or pos');
  const { id, pos, ts, data } = message;
  return { id, pos, ts, data };
}

/** `200 {"room","messages":[...],"cursor"?,"next"?,"complete"?}`. */
export function readHistoryPage(body: unknown): HistoryPage {
  if (!isRecord(body) || typeof body['room'] !== 'string' || !Array.isArray(body['messages'])) throw unexpected('no room or messages');
  const room = body['room'];
  const page: HistoryPage = { room, messages: body['messages'].map((item) => historyMessageOf(room, item)) };
  for (const key of ['cursor', 'next'] as const) {
    const value = body[key];
    if (value !== undefined && typeof value !== 'string') throw unexpected(`${key} is not a string`);
    if (value !== undefined) page[key] = value;
  }
  const complete = body['complete'];
  if (complete !== undefined && typeof complete !== 'boolean') throw unexpected('complete is not a boolean');
  if (complete !== undefined) page.complete = complete;
  return page;
}
