/**
 * `/_roomcast/ttl`: the TTL sweeper of the region. `GET` answers its stats; `POST` sweeps
 * now and answers what it deleted. The body is optional: `{"at": <epoch seconds>}` sweeps
 * as if it were that time (to see what expires later); 400 `{error}` for one it cannot use.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../shared/read-body.js';
import type { TtlSweeper, TtlSweepOptions } from '../ttl/index.js';
import { json } from './http.js';

/** The sweep options, or why the request cannot be used. */
export function parseSweepRequest(value: unknown): TtlSweepOptions | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'the body must be a JSON object: {"at"?: <epoch seconds>}' };
  const { at, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return { error: `unknown field ${unknown} (known: at)` };
  if (at === undefined) return {};
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) return { error: 'at must be a time in epoch seconds' };
  return { at };
}

export async function serveTtl(request: { req: IncomingMessage; res: ServerResponse; method: string; state: { ttl?: TtlSweeper } }): Promise<void> {
  const { req, res, method, state } = request;
  if (!state.ttl) return json(res, 404, { error: 'this console has no TTL sweeper' });
  if (method === 'GET') return json(res, 200, state.ttl.stats());
  if (method !== 'POST') return json(res, 405, { error: 'GET or POST' });
  const { body, tooLarge } = await readBody(req, 1024);
  if (tooLarge) return json(res, 413, { error: 'body too large' });
  let options: TtlSweepOptions | { error: string };
  try {
    options = parseSweepRequest(JSON.parse(body.toString('utf8') || '{}'));
  } catch {
    return json(res, 400, { error: 'the body is not JSON' });
  }
  if ('error' in options) return json(res, 400, options);
  json(res, 200, await state.ttl.sweep(options));
}
