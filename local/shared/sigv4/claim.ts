/**
 * What a request claims about its SigV4 signature, read from the Authorization header or
 * from a presigned URL's query (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
 * X-Amz-SignedHeaders, X-Amz-Signature, X-Amz-Expires; an X-Amz-Security-Token is part
 * of the signed query like any other parameter); with API Gateway's messages for what is
 * missing or malformed.
 */
import { createHash } from 'node:crypto';
import type { QueryPairs } from '../query.js';

export interface SigV4Claim {
  form: 'header' | 'query';
  accessKeyId: string;
  /** The credential scope's parts: date, region, service, terminator. */
  scope: { date: string; region: string; service: string; terminator: string };
  signedHeaders: string[];
  signature: string;
  /** `YYYYMMDDTHHMMSSZ` */
  longDate: string;
  /** Presigned URLs only: X-Amz-Expires in seconds. */
  expires?: number;
}

export type ClaimResult = { ok: true; claim: SigV4Claim } | { ok: false; message: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** `YYYYMMDDTHHMMSSZ` -> epoch ms; NaN when it is not a real time in that form. */
export function parseLongDate(longDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(longDate);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return longDateOf(ms) === longDate ? ms : Number.NaN;
}

/** epoch ms -> `YYYYMMDDTHHMMSSZ`. */
export function longDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export function badDate(value: string): string {
  return `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`;
}

function parseCredential(credential: string): Pick<SigV4Claim, 'accessKeyId' | 'scope'> | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) return undefined;
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  return { accessKeyId, scope: { date, region, service, terminator } };
}

/** X-Amz-Date, else the `Date` header (RFC 7231) as `YYYYMMDDTHHMMSSZ`. */
function headerDate(headers: Record<string, string>): string | undefined {
  const amz = headers['x-amz-date'];
  if (amz !== undefined) return amz;
  const date = headers['date'];
  if (date === undefined) return undefined;
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? date : longDateOf(ms);
}

function fromHeader(authorization: string, headers: Record<string, string>): ClaimResult {
  const space = authorization.indexOf(' ');
  const rest = space < 0 ? '' : authorization.slice(space + 1);
  const fields = new Map<string, string>();
  for (const raw of rest.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      const hashed = createHash('sha256').update(authorization).digest('base64');
      return { ok: false, message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashed}'.` };
    }
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const longDate = headerDate(headers);
  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!fields.has(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (longDate === undefined) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0 || longDate === undefined) return { ok: false, message: `${missing.join(' ')} Authorization=${authorization}` };
  if (authorization.slice(0, space) !== ALGORITHM) {
    return { ok: false, message: `Unsupported Authorization Type` };
  }
  const credential = parseCredential(fields.get('Credential') ?? '');
  if (credential === undefined) return { ok: false, message: `Authorization header has malformed Credential parameter. Authorization=${authorization}` };
  if (Number.isNaN(parseLongDate(longDate))) return { ok: false, message: badDate(longDate) };
  const signedHeaders = (fields.get('SignedHeaders') ?? '').split(';').filter((h) => h !== '');
  return { ok: true, claim: { form: 'header', ...credential, signedHeaders, signature: fields.get('Signature') ?? '', longDate } };
}

function fromQuery(query: QueryPairs): ClaimResult {
  const get = (name: string): string | undefined => query.find(([k]) => k === name)?.[1];
  const names = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
  const missing = names.filter((n) => get(n) === undefined);
  if (missing.length > 0) {
    const text = missing.map((n) => `AWS query-string parameters must include '${n}'.`).join(' ');
    return { ok: false, message: `${text} Re-examine the query-string parameters.` };
  }
  if (get('X-Amz-Algorithm') !== ALGORITHM) return { ok: false, message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"' };
  const credential = parseCredential(get('X-Amz-Credential') ?? '');
  if (credential === undefined) return { ok: false, message: `X-Amz-Credential is malformed: '${get('X-Amz-Credential') ?? ''}'` };
  const longDate = get('X-Amz-Date') ?? '';
  if (Number.isNaN(parseLongDate(longDate))) return { ok: false, message: badDate(longDate) };
  const expiresText = get('X-Amz-Expires');
  const expires = expiresText === undefined ? undefined : Number(expiresText);
  if (expires !== undefined && (!Number.isInteger(expires) || expires < 0)) {
    return { ok: false, message: `X-Amz-Expires should be a number` };
  }
  if (expires !== undefined && expires > 604800) {
    return { ok: false, message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800' };
  }
  const signedHeaders = (get('X-Amz-SignedHeaders') ?? '').split(';').filter((h) => h !== '');
  const claim: SigV4Claim = { form: 'query', ...credential, signedHeaders, signature: get('X-Amz-Signature') ?? '', longDate };
  if (expires !== undefined) claim.expires = expires;
  return { ok: true, claim };
}

/** Undefined when the request carries no signature at all (API Gateway: 403 Forbidden). */
export function readClaim(headers: Record<string, string>, query: QueryPairs): ClaimResult | undefined {
  const authorization = headers['authorization'];
  if (authorization !== undefined && authorization.trim() !== '') return fromHeader(authorization.trim(), headers);
  if (query.some(([k]) => k === 'X-Amz-Signature' || k === 'X-Amz-Credential' || k === 'X-Amz-Algorithm')) return fromQuery(query);
  return undefined;
}
