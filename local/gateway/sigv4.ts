import type { IncomingMessage } from 'node:http';
import { signedRequestOf, verifySigV4 } from '../shared/sigv4/index.js';
import type { GatewayCredentials } from './types.js';

/**
 * Why a received request's SigV4 signature does not hold, in API Gateway's words; undefined
 * when it holds. The rules are the shared verifier's (local/shared/sigv4), the HTTP API's too.
 */
export async function checkSignature(
  req: IncomingMessage,
  body: Buffer,
  credentials: GatewayCredentials,
  region: string,
  now: number = Date.now(),
): Promise<string | undefined> {
  const verdict = await verifySigV4(signedRequestOf(req, body), { credentials, region, now });
  return verdict.ok ? undefined : verdict.message;
}
