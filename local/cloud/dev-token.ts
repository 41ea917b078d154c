/** Dev tokens: HS256 JWTs the local authorizer accepts, signed with the local secret. */
import { createHmac, randomBytes } from 'node:crypto';

export interface TokenClaims {
  sub: string;
  /** Room patterns, under the claim the template names (JwtRoomsClaim). */
  rooms: string[];
  roomsClaim?: string;
  issuer?: string;
  audience?: string;
  /** Default 24 h. */
  ttlSeconds?: number;
  /** Default now. */
  now?: number;
}

export const DEV_TOKEN_TTL_SECONDS = 24 * 3600;

/** A fresh random HS256 secret (256 bits, base64url). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signToken(secret: string, claims: TokenClaims): { token: string; expiresAt: Date } {
  const iat = Math.floor((claims.now ?? Date.now()) / 1000);
  const exp = iat + (claims.ttlSeconds ?? DEV_TOKEN_TTL_SECONDS);
  const payload = {
    sub: claims.sub,
    [claims.roomsClaim || 'rooms']: claims.rooms,
    ...(claims.issuer ? { iss: claims.issuer } : {}),
    ...(claims.audience ? { aud: claims.audience } : {}),
    iat,
    exp,
  };
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return { token: `${unsigned}.${signature}`, expiresAt: new Date(exp * 1000) };
}
