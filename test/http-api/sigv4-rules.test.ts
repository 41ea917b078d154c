/** The shared SigV4 verifier on its own, at a fixed clock: where its time and scope rules start and stop. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { verifySigV4, type SignedRequest } from '../../local/shared/sigv4/index.js';
import { CREDENTIALS, REGION } from './helpers.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const base: HttpRequest = { method: 'GET', protocol: 'http:', hostname: 'api.local', path: '/rooms/r/messages', query: { limit: '1' }, headers: { host: 'api.local' } };
const signer = new SignatureV4({ service: 'execute-api', region: REGION, credentials: CREDENTIALS, sha256: Sha256 });

/** A signed request as the verifier receives it. */
function received(request: HttpRequest): SignedRequest {
  const query = Object.entries(request.query ?? {}).map(([key, value]) => [key, String(value)] as [string, string]);
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: request.method, encodedPath: request.path, query, headers, body: Buffer.alloc(0) };
}

const verify = async (request: HttpRequest) => verifySigV4(received(request), { region: REGION, credentials: CREDENTIALS, now: NOW });
const signedAt = (ms: number) => signer.sign(base, { signingDate: new Date(ms) });
const presignedAt = (ms: number, expiresIn: number) => signer.presign(base, { signingDate: new Date(ms), expiresIn });

describe('the SigV4 time rules', () => {
  it('take a signed header within 5 minutes either way, and not a second more', async () => {
    expect(await verify(await signedAt(NOW))).toEqual({ ok: true, accessKeyId: CREDENTIALS.accessKeyId });
    expect((await verify(await signedAt(NOW - 5 * MINUTE))).ok).toBe(true);
    expect((await verify(await signedAt(NOW + 5 * MINUTE))).ok).toBe(true);
    expect(await verify(await signedAt(NOW - 5 * MINUTE - 1000))).toEqual({
      ok: false,
      message: 'Signature expired: 20260115T115459Z is now earlier than 20260115T115500Z (20260115T120000Z - 5 min.)',
    });
    expect(await verify(await signedAt(NOW + 5 * MINUTE + 1000))).toEqual({
      ok: false,
      message: 'Signature not yet current: 20260115T120501Z is still later than 20260115T120500Z (20260115T120000Z + 5 min.)',
    });
  });

  it('hold a presigned URL for its X-Amz-Expires, past the 5 minutes', async () => {
    expect((await verify(await presignedAt(NOW - 60 * MINUTE, 3600))).ok).toBe(true);
    expect(await verify(await presignedAt(NOW - 60 * MINUTE - 1000, 3600))).toEqual({
      ok: false,
      message: 'Signature expired: 20260115T105959Z is now earlier than 20260115T110000Z (20260115T120000Z - 3600 sec.)',
    });
    expect((await verify(await presignedAt(NOW + 6 * MINUTE, 3600))).ok).toBe(false);
  });

  it('refuse a presigned URL whose parameters are missing or out of range', async () => {
    const presigned = await presignedAt(NOW, 60);
    const { 'X-Amz-Date': _date, ...undated } = presigned.query as Record<string, string>;
    expect(await verify({ ...presigned, query: undated })).toEqual({
      ok: false,
      message: "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
    });
    expect(await verify({ ...presigned, query: { ...presigned.query, 'X-Amz-Expires': '604801' } })).toEqual({
      ok: false,
      message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    });
  });

  it('check the scope of a presigned URL as of a header', async () => {
    const elsewhere = await new SignatureV4({ service: 'execute-api', region: 'us-east-1', credentials: CREDENTIALS, sha256: Sha256 }).presign(base, { signingDate: new Date(NOW) });
    expect(await verify(elsewhere)).toEqual({ ok: false, message: 'Credential should be scoped to a valid region. ' });
  });
});
