/**
 * Query strings and small map helpers shared by the HTTP API and the SigV4 verifier, so a
 * query is read one way: `&`-separated `key=value` pairs, percent-decoded once, `+` kept
 * as a literal plus (SigV4 canonicalisation has no form-encoding).
 */

export type QueryPairs = Array<[string, string]>;

/** decodeURIComponent that leaves a malformed escape as it is instead of throwing. */
export function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseQuery(raw: string): QueryPairs {
  const pairs: QueryPairs = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([decodeComponent(key), decodeComponent(value)]);
  }
  return pairs;
}

/** Sets an own property, even one named `__proto__`, so no key is lost or misread. */
export function put<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Repeated keys joined with commas, as payload format 2.0 does. */
export function joinQuery(pairs: QueryPairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of pairs) {
    put(out, key, Object.prototype.hasOwnProperty.call(out, key) ? `${out[key]},${value}` : value);
  }
  return out;
}

/** The query in the shape @smithy/signature-v4 canonicalises (repeated keys as arrays). */
export function signingQuery(pairs: QueryPairs): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of pairs) {
    const seen = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    put(out, key, seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]);
  }
  return out;
}
