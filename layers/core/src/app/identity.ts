import { ANONYMOUS_PRINCIPAL } from '../model/occupancy.js';
import type { App } from './context.js';
import { RoomcastError } from '../errors.js';
import { matchesOrigin } from '../model/origins.js';
import { parsePatterns } from '../model/rooms.js';

/** Who holds a connection, which rooms they may join, and until when (their token's `exp`; absent: no expiry). */
export interface Identity {
  principal: string;
  patterns: string[];
  tokenExpiresAt?: number;
}

/** The identity the authorizer put in the request context (or anonymous without auth). */
export function identityOf(app: App, authorizer: Record<string, unknown> | undefined): Identity {
  // Open mode: every room, the reserved ones (such as the canary's) too.
  if (app.config.authMode === 'none') return { principal: ANONYMOUS_PRINCIPAL, patterns: ['**', 'roomcast.*', 'roomcast.*:**'] };
  const principal = authorizer?.principal ?? authorizer?.principalId;
  if (typeof principal !== 'string' || principal === '') throw new RoomcastError('UNAUTHORIZED', 'the connection has no authorized principal');
  let patterns: unknown = authorizer?.rooms;
  if (typeof patterns === 'string' && patterns.startsWith('[')) {
    try {
      patterns = JSON.parse(patterns);
    } catch {
      patterns = [];
    }
  }
  const tokenExpiresAt = tokenExpiryOf(authorizer);
  return { principal, patterns: parsePatterns(patterns), ...(tokenExpiresAt === undefined ? {} : { tokenExpiresAt }) };
}

/**
 * The `exp` the authorizer put in the context (a string, as API Gateway's context holds),
 * read without any I/O; undefined from an authorizer that set none.
 */
export function tokenExpiryOf(authorizer: Record<string, unknown> | undefined): number | undefined {
  const raw = authorizer?.exp;
  const exp = typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : Number.NaN;
  return Number.isFinite(exp) ? exp : undefined;
}

/**
 * The Origin header against the allowed origins (`*`, exact origins, or subdomain patterns
 * such as `https://*.example.com`: model/origins.ts). A request without Origin is not from
 * a browser and passes: the token is what protects the API; the Origin check stops other
 * sites' pages.
 */
export function checkOrigin(allowed: readonly string[], origin: string | undefined): void {
  if (origin === undefined) return;
  if (allowed.some((pattern) => matchesOrigin(pattern, origin))) return;
  throw new RoomcastError('ORIGIN_FORBIDDEN', `origin ${origin.slice(0, 100)} is not allowed`);
}
