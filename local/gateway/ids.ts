import { randomBytes } from 'node:crypto';

/**
 * An id shaped like API Gateway's connection, message and request ids: 11 random bytes
 * in base64 (URL-safe alphabet, so an id never needs more than `=` escaped in a path),
 * 15 characters and a `=`, e.g. `TvBZ0c5TDoECFQg=`.
 */
export function newId(): string {
  return `${randomBytes(11).toString('base64url')}=`;
}

/** A new id that `taken` does not hold. */
export function uniqueId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = newId();
    if (!taken(id)) return id;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `requestContext.requestTime`: `09/Feb/2021:20:53:55 +0000`. */
export function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}`;
  return `${date}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
