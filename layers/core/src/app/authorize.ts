import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { App } from './context.js';
import { RoomcastError } from '../errors.js';
import { hs256SecretProblem } from '../model/limits.js';
import { parsePatterns } from '../model/rooms.js';

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

export interface AuthorizeRequest {
  token: string | undefined;
  methodArn: string;
}

export interface AuthorizeResult extends VerifiedToken {
  methodArn: string;
}

/** What a verified token says: who, which rooms, and until when (`exp`, seconds since the epoch). */
export interface VerifiedToken {
  principal: string;
  patterns: string[];
  expiresAt: number;
}

type Key = Uint8Array | JWTVerifyGetKey;
/** Each app's JWKS key set (jose caches the keys it fetched, and fetches a new `kid` once). */
const keySets = new WeakMap<App, JWTVerifyGetKey>();

/** The token of a `$connect`, verified (verifyToken). */
export async function authorize(app: App, request: AuthorizeRequest): Promise<AuthorizeResult> {
  return { ...(await verifyToken(app, request.token)), methodArn: request.methodArn };
}

/**
 * Verify a token, the one rule for `$connect` and `refresh`: signature with the pinned
 * algorithms (HS256 with a secret, or the asymmetric ones with a JWKS: never both, so no
 * key confusion; `none` is never accepted), `exp` and `sub` present, `exp` and `nbf`,
 * issuer and audience. The room patterns come from its claims.
 */
export async function verifyToken(app: App, token: string | undefined): Promise<VerifiedToken> {
  if (!token) throw new RoomcastError('UNAUTHORIZED', 'no token');
  const { key, algorithms } = await verificationKey(app);
  const { issuer, audience, roomsClaim } = app.config.jwt;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key as Uint8Array, {
      algorithms,
      requiredClaims: ['exp', 'sub'],
      // The app's clock: the one `exp` and `nbf` are checked against, and sessions end by.
      currentDate: new Date(app.now()),
      ...(issuer ? { issuer } : {}),
      ...(audience ? { audience } : {}),
    }));
  } catch (cause) {
    throw new RoomcastError('UNAUTHORIZED', 'the token is not valid', { cause });
  }
  return { principal: payload.sub!, patterns: parsePatterns(payload[roomsClaim]), expiresAt: payload.exp! };
}

/**
 * The JWKS key set, or the HS256 secret: read from `JWT_SECRET_REF` again once it is
 * `secretMaxAgeSeconds` old (the secrets port caches it until then), so a rotated
 * secret is the one verified with within minutes.
 */
async function verificationKey(app: App): Promise<{ key: Key; algorithms: string[] }> {
  const { jwksUrl, secret, secretRef } = app.config.jwt;
  if (jwksUrl) {
    let keySet = keySets.get(app);
    if (!keySet) keySets.set(app, (keySet = createRemoteJWKSet(new URL(jwksUrl))));
    return { key: keySet, algorithms: ASYMMETRIC };
  }
  const value = secret || (secretRef ? await app.secrets.read(secretRef) : '');
  if (!value) throw new RoomcastError('INTERNAL', 'AUTH_MODE jwt needs JWT_JWKS_URL or JWT_SECRET_REF');
  const key = new TextEncoder().encode(value);
  const problem = hs256SecretProblem(key.byteLength);
  if (problem) throw new RoomcastError('INTERNAL', `${secretRef ? `the secret at ${secretRef}` : 'JWT_SECRET'}: ${problem}`);
  return { key, algorithms: ['HS256'] };
}

