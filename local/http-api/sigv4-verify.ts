/**
 * Checks an incoming request's SigV4 signature (service `execute-api`) by computing the
 * signature again with @smithy/signature-v4 from what was received: method, path as sent,
 * query, the headers the client says it signed, and the payload hash.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ALGORITHM_IDENTIFIER, SignatureV4, getCanonicalHeaders } from '@smithy/signature-v4';
import type { HeaderBag, HttpRequest } from '@smithy/types';
import { signingQuery, type QueryPairs } from './query.js';
import { readClaim, type SigV4Claim } from './sigv4-claim.js';
import type { LocalCredentials } from './types.js';
import { Hash } from '@smithy/hash-node';

/** SHA-256 on node:crypto for the signer: several times faster than the pure-JavaScript hash it otherwise gets. */
const SHA256 = Hash.bind(null, 'sha256');

export const SERVICE = 'execute-api';
const SKEW_MS = 5 * 60 * 1000;
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
  credentials: LocalCredentials;
  now: number;
}

export type Verdict = { ok: true; accessKeyId: string } | { ok: false; message: string };

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

export const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function parseLongDate(longDate: string): number {
  const iso = `${longDate.slice(0, 4)}-${longDate.slice(4, 6)}-${longDate.slice(6, 11)}:${longDate.slice(11, 13)}:${longDate.slice(13)}`;
  return Date.parse(iso);
}

function longDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

function checkScope(claim: SigV4Claim, region: string): string | undefined {
  const { scope, longDate } = claim;
  if (scope.terminator !== 'aws4_request') return `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `;
  if (scope.service !== SERVICE) return `Credential should be scoped to correct service: '${SERVICE}'. `;
  if (scope.region !== region) return `Credential should be scoped to a valid region. `;
  if (scope.date !== longDate.slice(0, 8)) {
    return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${longDate.slice(0, 8)}', from '${longDate}'.`;
  }
  return undefined;
}

function checkTime(claim: SigV4Claim, now: number): string | undefined {
  const signedAt = parseLongDate(claim.longDate);
  if (Number.isNaN(signedAt)) return `Date must be in ISO-8601 'basic format'. Got '${claim.longDate}'.`;
  if (signedAt > now + SKEW_MS) {
    return `Signature not yet current: ${claim.longDate} is still later than ${longDateOf(now + SKEW_MS)} (${longDateOf(now)} + 5 min.)`;
  }
  if (claim.expires !== undefined) {
    if (signedAt + claim.expires * 1000 < now) {
      return `Signature expired: ${claim.longDate} is now earlier than ${longDateOf(now - claim.expires * 1000)} (${longDateOf(now)} - ${claim.expires} sec.)`;
    }
  } else if (signedAt < now - SKEW_MS) {
    return `Signature expired: ${claim.longDate} is now earlier than ${longDateOf(now - SKEW_MS)} (${longDateOf(now)} - 5 min.)`;
  }
  return undefined;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function verifySigV4(request: SignedRequest, context: VerifyContext): Promise<Verdict> {
  const read = readClaim(request.headers, request.query);
  if (read === undefined) return { ok: false, message: 'Forbidden' };
  if (!read.ok) return read;
  const { claim } = read;
  if (claim.accessKeyId !== context.credentials.accessKeyId) {
    return { ok: false, message: 'The security token included in the request is invalid.' };
  }
  if (!claim.signedHeaders.includes('host')) {
    return { ok: false, message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." };
  }
  const problem = checkScope(claim, context.region) ?? checkTime(claim, context.now);
  if (problem !== undefined) return { ok: false, message: problem };

  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const declared = request.query.find(([k]) => k === 'X-Amz-Content-Sha256')?.[1] ?? request.headers['x-amz-content-sha256'];
  // The canonical request covers the declared hash, so a body changed under an unchanged
  // header would pass unnoticed: the body must match what the header says.
  const bodyMatches = declared === undefined || declared === UNSIGNED || sameHex(declared, bodyHash);
  const payloadHash = bodyMatches ? (declared ?? bodyHash) : bodyHash;

  const headers: HeaderBag = {};
  for (const name of claim.signedHeaders) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = value;
  }
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
  const detail = `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`;
  return { ok: false, message: MISMATCH + detail };
}
