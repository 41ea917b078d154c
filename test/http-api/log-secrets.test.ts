import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpRoute } from '../../local/http-api/index.js';
import { loggableUrl } from '../../local/shared/log-safe.js';
import { CREDENTIALS, REGION, send, sign, startApi, urlOf, type RunningApi } from './helpers.js';

const ROUTES: HttpRoute[] = [{ method: 'POST', path: '/rooms/{room}/messages', target: 'publish', auth: 'AWS_IAM' }];
const SESSION = { ...CREDENTIALS, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0000' };

let api: RunningApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Every secret part of a signed request: the signature, the credential, the token. */
function secretsOf(request: { headers: Record<string, string>; query?: Record<string, unknown> }): string[] {
  const authorization = request.headers['authorization'] ?? '';
  const query = (request.query ?? {}) as Record<string, string>;
  return [
    /Signature=([0-9a-f]+)/.exec(authorization)?.[1],
    query['X-Amz-Signature'],
    query['X-Amz-Credential'],
    CREDENTIALS.accessKeyId,
    SESSION.sessionToken,
  ].filter((value): value is string => typeof value === 'string' && value !== '');
}

describe('the HTTP API access log', () => {
  it('holds no signature, credential or security token of a signed request (Authorization header)', async () => {
    api = await startApi(ROUTES);
    const request = await sign(api.url, { method: 'POST', path: '/rooms/lobby/messages', body: '{"data":1}', headers: { 'content-type': 'application/json' } }, { credentials: SESSION });
    expect((await send(request)).status).toBe(200);
    expect(api.logs.length).toBeGreaterThan(0);
    for (const secret of secretsOf(request)) for (const line of api.logs) expect(line).not.toContain(secret);
  });

  it('holds no signature, credential or security token of a presigned URL, accepted or refused', async () => {
    api = await startApi(ROUTES);
    const url = new URL(api.url);
    const presigner = new SignatureV4({ service: 'execute-api', region: REGION, credentials: SESSION, sha256: Sha256 });
    const base = { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/rooms/lobby/messages', query: {}, headers: { host: url.host } };
    const presigned = await presigner.presign(base, { expiresIn: 60 });
    expect((await fetch(urlOf(presigned), { method: 'POST' })).status).toBe(200);
    const tampered = urlOf(presigned).replace('/lobby/', '/other/');
    expect((await fetch(tampered, { method: 'POST' })).status).toBe(403);
    expect(api.logs.length).toBe(2);
    const secrets = secretsOf(presigned);
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) for (const line of api.logs) expect(line).not.toContain(encodeURIComponent(secret)), expect(line).not.toContain(secret);
    expect(api.logs[0]).toMatch(/^POST \/rooms\/lobby\/messages\?.*X-Amz-Signature=\(redacted\).* 200 /);
  });
});

describe('loggableUrl', () => {
  it('replaces the signing parameters whatever their case or encoding, and keeps the rest', () => {
    expect(loggableUrl('/a?x=1&X-Amz-Signature=abc&x-amz-credential=K%2Fd&X%2DAmz%2DSecurity%2DToken=t&X-Amz-Date=2')).toBe(
      '/a?x=1&X-Amz-Signature=(redacted)&x-amz-credential=(redacted)&X%2DAmz%2DSecurity%2DToken=(redacted)&X-Amz-Date=2',
    );
    expect(loggableUrl('/rooms/a/messages')).toBe('/rooms/a/messages');
  });
});
