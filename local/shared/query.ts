/**
 * Query strings, read the one way the publisher client signs them (its
 * `@roomcast/client/publisher/query`), so the HTTP API and the SigV4 verifier agree with
 * every signer: `&`-separated `key=value` pairs, percent-decoded once, `+` a literal plus.
 */
import { put, type QueryPairs } from '@roomcast/client/publisher/query';

export { decodeComponent, parseQuery, put, signingQuery, type QueryPairs } from '@roomcast/client/publisher/query';

/** Repeated keys joined with commas, as payload format 2.0 does. */
export function joinQuery(pairs: QueryPairs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of pairs) {
    put(out, key, Object.prototype.hasOwnProperty.call(out, key) ? `${out[key]},${value}` : value);
  }
  return out;
}
