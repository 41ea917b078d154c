/**
 * What a publish request's id stands for: its room and its data. A retry with the same id
 * carries the same fingerprint; the same id with another room or other data does not, and
 * is refused with IDEMPOTENCY_KEY_REUSED instead of being answered for the first message.
 * The data is read as JSON with its object keys sorted, so a client that serialises the
 * same value with its keys in another order still retries the same message.
 */
import { createHash } from 'node:crypto';

export function fingerprintOf(room: string, data: unknown): string {
  return createHash('sha256').update(room).update('\n').update(canonicalJson(data)).digest('base64url').slice(0, 22);
}

/** JSON with every object's keys in code-unit order: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
