/**
 * A URL's query read the one way SigV4 reads it: `&`-separated `key=value` pairs,
 * percent-decoded once, `+` kept as a literal plus (SigV4 canonicalisation has no
 * form-encoding). The publisher signs with it; the local cloud's HTTP API and SigV4
 * verifier read requests with it, so both sides agree on every query.
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

/** The pairs of a query without its `?` (`a=1&b=2`), in order, repeated keys kept. */
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

/** The query in the shape @smithy/signature-v4 canonicalises (repeated keys as arrays). */
export function signingQuery(pairs: QueryPairs): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of pairs) {
    const seen = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    put(out, key, seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]);
  }
  return out;
}
