/**
 * Checks an incoming request's SigV4 signature (service `execute-api`) by computing the
 * signature again with @smithy/signature-v4 from what was received: method, path as sent,
 * query, the headers the client says it signed, and the payload hash. The HTTP API's
 * AWS_IAM routes and the gateway's @connections API both check requests with it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ALGORITHM_IDENTIFIER, SignatureV4, getCanonicalHeaders } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import type { HeaderBag, HttpRequest } from '@smithy/types';
import { parseQuery, signingQuery, type QueryPairs } from '../query.js';
import { collectHeaders, splitUrl } from '../request.js';
import { parseLongDate, readClaim, type SigV4Claim } from './claim.js';
import { SERVICE, checkScope, checkTime } from './rules.js';

/** SHA-256 on node:crypto for the signer: several times faster than the pure-JavaScript hash it otherwise gets. */
const SHA256 = Hash.bind(null, 'sha256');
const UNSIGNED = 'UNSIGNED-PAYLOAD';

export interface SignedRequest {
  method: string;
  /** Path as sent, still percent-encoded. */
  encodedPath: string;
  query: QueryPairs;
  /** Lower-cased names, repeated values joined with commas. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface VerifyContext {
  region: string;
  /** The one access key requests may be signed with. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  now: number;
}

/** `message` is what API Gateway answers (with a 403) when the signature does not hold. */
export type Verdict = { ok: true; accessKeyId: string } | { ok: false; message: string };

export const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The parts of a received request a signature covers. */
export function signedRequestOf(req: IncomingMessage, body: Buffer): SignedRequest {
  const { encodedPath, rawQuery } = splitUrl(req.url ?? '/');
  return { method: (req.method ?? 'GET').toUpperCase(), encodedPath, query: parseQuery(rawQuery), headers: collectHeaders(req.rawHeaders), body };
}

/** Exposes the canonical request and string to sign, which smithy computes but keeps protected. */
class Recomputer extends SignatureV4 {
  canonical(request: HttpRequest, headers: HeaderBag, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }
  toSign(longDate: string, scope: string, canonical: string): Promise<string> {
    return this.createStringToSign(longDate, scope, canonical, ALGORITHM_IDENTIFIER);
  }
}

const recomputers = new Map<string, Recomputer>();

/** One per key and region: it keeps the day's derived signing key between requests. */
function recomputerOf({ credentials, region }: VerifyContext): Recomputer {
  const key = `${credentials.accessKeyId}\n${credentials.secretAccessKey}\n${region}`;
  let recomputer = recomputers.get(key);
  if (!recomputer) {
    recomputer = new Recomputer({ service: SERVICE, region, credentials, sha256: SHA256, applyChecksum: false });
    recomputers.set(key, recomputer);
  }
  return recomputer;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What is wrong with the claim itself, before any signature is computed. */
function claimProblem(claim: SigV4Claim, request: SignedRequest, context: VerifyContext): string | undefined {
  if (claim.accessKeyId !== context.credentials.accessKeyId) return 'The security token included in the request is invalid.';
  if (!claim.signedHeaders.includes('host')) return "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
  const problem = checkScope(claim, context.region) ?? checkTime(claim, context.now);
  if (problem !== undefined) return problem;
  const absent = claim.signedHeaders.find((name) => request.headers[name] === undefined);
  return absent === undefined ? undefined : `Signed header '${absent}' is missing from the request.`;
}

export async function verifySigV4(request: SignedRequest, context: VerifyContext): Promise<Verdict> {
  const read = readClaim(request.headers, request.query);
  if (read === undefined) return { ok: false, message: 'Forbidden' };
  if (!read.ok) return read;
  const { claim } = read;
  const problem = claimProblem(claim, request, context);
  if (problem !== undefined) return { ok: false, message: problem };

  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const declared = request.query.find(([k]) => k === 'X-Amz-Content-Sha256')?.[1] ?? request.headers['x-amz-content-sha256'];
  // The canonical request covers the declared hash, so a body changed under an unchanged
  // header would pass unnoticed: the body must match what the header says.
  const bodyMatches = declared === undefined || declared === UNSIGNED || sameHex(declared, bodyHash);
  const payloadHash = bodyMatches ? (declared ?? bodyHash) : bodyHash;

  const headers: HeaderBag = {};
  for (const name of claim.signedHeaders) headers[name] = request.headers[name]!;
  const httpRequest: HttpRequest = {
    method: request.method,
    protocol: 'http:',
    hostname: request.headers['host'] ?? 'localhost',
    path: request.encodedPath,
    query: signingQuery(request.query),
    headers,
  };
  const recomputer = recomputerOf(context);
  const canonicalHeaders = getCanonicalHeaders(httpRequest, undefined, new Set(claim.signedHeaders));
  const canonical = recomputer.canonical(httpRequest, canonicalHeaders, payloadHash);
  const scope = `${claim.scope.date}/${claim.scope.region}/${claim.scope.service}/${claim.scope.terminator}`;
  const stringToSign = await recomputer.toSign(claim.longDate, scope, canonical);
  const expected = await recomputer.sign(stringToSign, {
    signingDate: new Date(parseLongDate(claim.longDate)),
    signingRegion: claim.scope.region,
    signingService: claim.scope.service,
  });
  if (bodyMatches && sameHex(expected, claim.signature)) return { ok: true, accessKeyId: claim.accessKeyId };
  const hashNote = bodyMatches ? '' : '\nThe body does not match its x-amz-content-sha256.\n';
  const detail = `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n${hashNote}`;
  return { ok: false, message: MISMATCH + detail };
}
