import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import type { GatewayCredentials } from './types.js';

/** SHA-256 on node:crypto for the signer: several times faster than the pure-JavaScript hash it otherwise gets. */
const SHA256 = Hash.bind(null, 'sha256');

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;
const SKEW_MS = 15 * 60 * 1000;

/** Why a request was refused, for the log; undefined when its signature holds. */
export type SignatureProblem = string | undefined;

/**
 * Checks a request's SigV4 `Authorization` header (service execute-api) by signing the
 * request as received again, with the same signed headers and date, and comparing.
 */
export async function checkSignature(
  req: IncomingMessage,
  body: Buffer,
  credentials: GatewayCredentials,
  region: string,
  now: number = Date.now(),
): Promise<SignatureProblem> {
  const match = AUTHORIZATION.exec(String(req.headers.authorization ?? ''));
  if (!match) return 'missing or malformed Authorization header';
  const [, accessKeyId, scopeDate, scopeRegion, service, signedList, signature] = match as unknown as string[];
  if (accessKeyId !== credentials.accessKeyId) return 'unknown access key';
  if (scopeRegion !== region || service !== 'execute-api') return `credential scope ${scopeRegion}/${service} does not match ${region}/execute-api`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || amzDate.slice(0, 8) !== scopeDate) return 'missing or malformed X-Amz-Date';
  if (Math.abs(now - signingDate.getTime()) > SKEW_MS) return 'signature expired (more than 15 minutes off)';
  const signed = signedList!.split(';');
  if (!signed.includes('host')) return 'host is not signed';
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value === undefined) return `signed header ${name} is missing`;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const declaredHash = headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && declaredHash !== createHash('sha256').update(body).digest('hex')) {
    return 'x-amz-content-sha256 does not match the body';
  }
  const target = req.url ?? '/';
  const at = target.indexOf('?');
  const signer = signerOf(credentials, region);
  const resigned = await signer.sign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: at < 0 ? target : target.slice(0, at),
      query: at < 0 ? {} : queryOf(target.slice(at + 1)),
      headers,
      body: body.length > 0 ? body : undefined,
    },
    { signingDate, signableHeaders: new Set(signed) },
  );
  const expected = AUTHORIZATION.exec(String(resigned.headers.authorization ?? ''));
  if (!expected || expected[5] !== signedList) return 'signed headers do not match';
  const a = Buffer.from(expected[6]!, 'hex');
  const b = Buffer.from(signature!, 'hex');
  return a.length === b.length && timingSafeEqual(a, b) ? undefined : 'signature does not match';
}

const signers = new Map<string, SignatureV4>();

/** One signer per key and region: it keeps the day's derived signing key between requests. */
function signerOf(credentials: GatewayCredentials, region: string): SignatureV4 {
  const key = `${credentials.accessKeyId}\n${credentials.secretAccessKey}\n${region}`;
  let signer = signers.get(key);
  if (!signer) {
    signer = new SignatureV4({ credentials, region, service: 'execute-api', sha256: SHA256, applyChecksum: false });
    signers.set(key, signer);
  }
  return signer;
}

/** `20240102T030405Z` -> Date. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

function queryOf(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const existing = query[name];
    query[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}
