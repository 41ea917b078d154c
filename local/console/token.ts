/**
 * `POST /_roomcast/token {sub, rooms, ttlSeconds?}`: a dev token for any principal and rooms,
 * signed with the local cloud's secret (which never leaves the process). Answers 200
 * `{token, expiresAt, sub, rooms}`; 400 `{error}` for a request it cannot use; 409 when the
 * cloud does not verify HS256 dev tokens (AuthMode=none, or JwtJwksUrl).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenClaims } from '../cloud/dev-token.js';
import { readBody } from '../shared/read-body.js';
import { json } from './http.js';

export type DevTokenClaims = Pick<TokenClaims, 'sub' | 'rooms' | 'ttlSeconds'>;

/** Signs with the cloud's secret, issuer, audience and rooms claim. */
export type TokenMinter = (claims: DevTokenClaims) => { token: string; expiresAt: Date };

const MAX_TTL_SECONDS = 366 * 86_400;
const MAX_ROOMS = 100;
const MAX_TEXT = 256;

const text = (value: unknown): value is string => typeof value === 'string' && value !== '' && value.length <= MAX_TEXT;

/** The claims, or why the request cannot be used. */
export function parseTokenRequest(value: unknown): DevTokenClaims | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'the body must be {"sub", "rooms", "ttlSeconds"?}' };
  const { sub, rooms, ttlSeconds } = value as Record<string, unknown>;
  if (!text(sub)) return { error: `sub must be a string of 1 to ${MAX_TEXT} characters` };
  if (!Array.isArray(rooms) || rooms.length === 0 || rooms.length > MAX_ROOMS || !rooms.every(text)) {
    return { error: `rooms must hold 1 to ${MAX_ROOMS} room names or patterns` };
  }
  if (ttlSeconds !== undefined && !(Number.isInteger(ttlSeconds) && (ttlSeconds as number) > 0 && (ttlSeconds as number) <= MAX_TTL_SECONDS)) {
    return { error: `ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}` };
  }
  return { sub, rooms, ...(ttlSeconds === undefined ? {} : { ttlSeconds: ttlSeconds as number }) };
}

export async function serveToken(request: { req: IncomingMessage; res: ServerResponse; method: string; state: { mint?: TokenMinter } }): Promise<void> {
  const { req, res, method, state } = request;
  if (method !== 'POST') return json(res, 405, { error: 'POST only' });
  if (!state.mint) return json(res, 409, { error: 'this local cloud signs no dev tokens: it runs with AuthMode=none, or verifies tokens with JwtJwksUrl' });
  const { body, tooLarge } = await readBody(req, 16 * 1024);
  if (tooLarge) return json(res, 413, { error: 'body too large' });
  let claims: DevTokenClaims | { error: string };
  try {
    claims = parseTokenRequest(JSON.parse(body.toString('utf8')));
  } catch {
    return json(res, 400, { error: 'the body is not JSON' });
  }
  if ('error' in claims) return json(res, 400, claims);
  const { token, expiresAt } = state.mint(claims);
  json(res, 200, { token, expiresAt: expiresAt.toISOString(), sub: claims.sub, rooms: claims.rooms });
}
