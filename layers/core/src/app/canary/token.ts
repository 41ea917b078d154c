import { SignJWT } from 'jose';
import type { Config } from '../../config.js';
import type { SecretsPort } from '../ports.js';
import { RoomcastError } from '../../errors.js';

/** The `sub` of the tokens the canary signs for itself. */
export const CANARY_PRINCIPAL = 'roomcast-canary';
const LIFETIME_SECONDS = 300;

/**
 * The `token` of the canary's handshake: none with AuthMode none; the token stored at
 * `tokenRef` when there is one (the only way with JWKS keys); else one the canary signs
 * with the stack's HS256 secret, allowing `rooms`.
 */
export async function canaryToken(config: Config, secrets: SecretsPort, tokenRef: string, nowMs: number, rooms: readonly string[]): Promise<string | undefined> {
  if (config.authMode === 'none') return undefined;
  const { secret, secretRef } = config.jwt;
  if (tokenRef) return (await secrets.read(tokenRef)).trim();
  const key = secret || (secretRef ? await secrets.read(secretRef) : '');
  if (!key) throw new RoomcastError('INTERNAL', 'the canary cannot sign a token without JWT_SECRET_REF: set CANARY_TOKEN_REF (CanaryTokenParameter)');
  return signCanaryToken(key, config.jwt, nowMs, rooms);
}

/** An HS256 token for the canary, valid for a few minutes, with the stack's issuer and audience. */
export function signCanaryToken(secret: string, jwt: Config['jwt'], nowMs: number, rooms: readonly string[]): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  const token = new SignJWT({ [jwt.roomsClaim]: [...rooms] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(CANARY_PRINCIPAL)
    .setIssuedAt(now)
    .setExpirationTime(now + LIFETIME_SECONDS);
  if (jwt.issuer) token.setIssuer(jwt.issuer);
  if (jwt.audience) token.setAudience(jwt.audience);
  return token.sign(new TextEncoder().encode(secret));
}
