/** The URLs of the publish API: endpoint (with an optional stage path) plus route. */
import { PublishError } from './errors.js';

/** Percent-encodes everything but RFC 3986's unreserved characters (`!'()*` included). */
export function encodeComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The endpoint without a trailing slash; refuses what is not an http(s) URL. */
export function normalizeEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`endpoint must be an http(s) URL, not ${endpoint}`);
  if (url.search !== '' || url.hash !== '') throw new TypeError(`endpoint must not carry a query or fragment: ${endpoint}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * `/rooms/{room}` with the room percent-encoded. The server judges room names; only names a
 * URL cannot carry as one segment (empty, `.`, `..`) are refused here.
 */
export function roomPath(room: string): string {
  if (room === '' || room === '.' || room === '..') {
    throw new PublishError({ code: 'INVALID_ROOM', message: `not a room name: '${room}'`, retryable: false, details: { room } });
  }
  return `/rooms/${encodeComponent(room)}`;
}

/** `/rooms/{room}/messages`, the room as roomPath takes it. */
export function roomMessagesPath(room: string): string {
  return `${roomPath(room)}/messages`;
}

export function urlOf(endpoint: string, path: string, query: Record<string, string | undefined> = {}): string {
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeComponent(key)}=${encodeComponent(value)}`);
  return `${endpoint}${path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
}
