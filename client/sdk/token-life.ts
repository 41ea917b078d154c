/**
 * When to renew a session: at a share of its token's life. The token is read, never
 * verified (the server does that): only a JWT's `iat` and `exp` matter here, and a token
 * that is not a JWT with an `exp` is never renewed ahead of time.
 */
export function renewalDelay(token: string, now: number, share: number): number | undefined {
  const claims = claimsOf(token);
  if (!claims || typeof claims.exp !== 'number') return undefined;
  const expiresAt = claims.exp * 1000;
  const issuedAt = typeof claims.iat === 'number' && claims.iat * 1000 <= now ? claims.iat * 1000 : now;
  // A token that is (nearly) spent is renewed soon, but never in a tight loop.
  return Math.max(MIN_DELAY_MS, issuedAt + share * (expiresAt - issuedAt) - now);
}

const MIN_DELAY_MS = 1000;

function claimsOf(token: string): { exp?: unknown; iat?: unknown } | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json: unknown = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')));
    return typeof json === 'object' && json !== null ? (json as { exp?: unknown; iat?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}
