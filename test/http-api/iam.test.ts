import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signedFetch } from '../../local/http-api/index.js';
import { CREDENTIALS, REGION, json, send, sign, startApi, urlOf, type RunningApi } from './helpers.js';

const MISMATCH = 'The request signature we calculated does not match the signature you provided.';

describe('AWS_IAM routes', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi([
      { method: 'POST', path: '/rooms/{room}/messages', target: 'publish', auth: 'AWS_IAM' },
      { method: 'GET', path: '/rooms/{room}/messages', target: 'history', auth: 'AWS_IAM' },
      { method: 'GET', path: '/open', target: 'open', auth: 'NONE' },
    ]);
  });
  afterAll(async () => api.close());
  beforeEach(() => {
    api.calls.length = 0;
  });

  const post = (body: string, path = '/rooms/lobby/messages') =>
    sign(api.url, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body });

  const message = async (res: Response): Promise<string> => {
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('application/json');
    return ((await json(res)) as { message: string }).message;
  };

  it('accepts a signed POST with a JSON body and reports the IAM caller', async () => {
    const res = await send(await post('{"data":{"n":1}}'));
    expect(res.status).toBe(200);
    const event = api.calls[0]?.event;
    expect(event?.body).toBe('{"data":{"n":1}}');
    expect(event?.pathParameters).toEqual({ room: 'lobby' });
    expect(event?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIALOCALTEST0000001\//);
    expect(event?.requestContext.authorizer).toEqual({
      iam: {
        accessKey: CREDENTIALS.accessKeyId,
        accountId: '000000000000',
        callerId: '000000000000',
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: 'arn:aws:iam::000000000000:root',
        userId: '000000000000',
      },
    });
  });

  it('accepts a signed GET with a query string (repeated keys, characters to escape)', async () => {
    const signed = await sign(api.url, { method: 'GET', path: '/rooms/a%20b/messages', query: { since: '0001:x', limit: '10', tag: ['z', 'a b'], "it's": '*' } });
    const res = await send(signed);
    expect(res.status).toBe(200);
    expect(api.calls[0]?.event.queryStringParameters).toEqual({ since: '0001:x', limit: '10', tag: 'z,a b', "it's": '*' });
    expect(api.calls[0]?.event.pathParameters).toEqual({ room: 'a b' });
  });

  it('answers Forbidden to a request without a signature, and leaves NONE routes open', async () => {
    const res = await fetch(`${api.url}/rooms/lobby/messages`, { method: 'POST', body: '{}' });
    expect(await message(res)).toBe('Forbidden');
    expect((await fetch(`${api.url}/open`)).status).toBe(200);
    expect(api.calls.map((c) => c.target)).toEqual(['open']);
  });

  it('refuses a tampered body, path or signed header', async () => {
    const signed = await post('{"data":1}');
    const tamperedBody = await message(await send(signed, '{"data":2}'));
    expect(tamperedBody.startsWith(MISMATCH)).toBe(true);
    expect(tamperedBody).toContain('The Canonical String for this request should have been');

    const other = await post('{"data":1}');
    expect((await message(await send({ ...other, path: '/rooms/other/messages' }))).startsWith(MISMATCH)).toBe(true);

    const typed = await post('{"data":1}');
    const headers = { ...typed.headers, 'content-type': 'text/plain' };
    expect((await message(await send({ ...typed, headers }))).startsWith(MISMATCH)).toBe(true);

    const queried = await sign(api.url, { method: 'GET', path: '/rooms/r/messages', query: { limit: '1' } });
    expect((await message(await send({ ...queried, query: { limit: '1000' } }))).startsWith(MISMATCH)).toBe(true);
    expect(api.calls).toHaveLength(0);
  });

  it('refuses a body changed without its x-amz-content-sha256 header, but allows UNSIGNED-PAYLOAD', async () => {
    const signed = await post('{"data":1}');
    expect(signed.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect((await message(await send(signed, '{"data":666}'))).startsWith(MISMATCH)).toBe(true);

    const unsigned = await sign(api.url, { method: 'POST', path: '/rooms/u/messages', headers: { 'content-type': 'application/json', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: '{"a":1}' });
    expect((await send(unsigned, '{"a":"anything"}')).status).toBe(200);
  });

  it('refuses a wrong secret, an unknown key, another region or service', async () => {
    const wrongSecret = await sign(api.url, { method: 'GET', path: '/rooms/r/messages' }, { credentials: { ...CREDENTIALS, secretAccessKey: 'not-the-secret' } });
    expect((await message(await send(wrongSecret))).startsWith(MISMATCH)).toBe(true);
    const unknownKey = await sign(api.url, { method: 'GET', path: '/rooms/r/messages' }, { credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'x' } });
    expect(await message(await send(unknownKey))).toBe('The security token included in the request is invalid.');
    const region = await sign(api.url, { method: 'GET', path: '/rooms/r/messages' }, { region: 'us-east-1' });
    expect(await message(await send(region))).toBe('Credential should be scoped to a valid region. ');
    const service = await sign(api.url, { method: 'GET', path: '/rooms/r/messages' }, { service: 'execute-apis' });
    expect(await message(await send(service))).toBe("Credential should be scoped to correct service: 'execute-api'. ");
  });

  it('refuses a signature dated more than 5 minutes from now, as API Gateway does', async () => {
    const at = (minutes: number) => sign(api.url, { method: 'GET', path: '/rooms/r/messages' }, { signingDate: new Date(Date.now() + minutes * 60_000) });
    expect(await message(await send(await at(-6)))).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    expect(await message(await send(await at(6)))).toMatch(/^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/);
    for (const minutes of [-4, 4]) expect((await send(await at(minutes))).status).toBe(200);
  });

  it('names a signed header the request did not send', async () => {
    const signed = await sign(api.url, { method: 'GET', path: '/rooms/r/messages', headers: { 'x-trace': 'abc' } });
    expect((await send(signed)).status).toBe(200);
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'x-trace'));
    expect(await message(await send({ ...signed, headers }))).toBe("Signed header 'x-trace' is missing from the request.");
  });

  it('explains an Authorization header that is not SigV4', async () => {
    const bearer = await fetch(`${api.url}/rooms/r/messages`, { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' } });
    expect(await message(bearer)).toMatch(/^Invalid key=value pair \(missing equal-sign\) in Authorization header/);
    const partial = await fetch(`${api.url}/rooms/r/messages`, { headers: { authorization: 'AWS4-HMAC-SHA256 Signature=abc' } });
    expect(await message(partial)).toBe(
      "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Signature=abc",
    );
  });

  it('accepts a presigned URL and refuses an expired one', async () => {
    const url = new URL(api.url);
    const presigner = new SignatureV4({ service: 'execute-api', region: REGION, credentials: CREDENTIALS, sha256: Sha256 });
    const base = { method: 'GET', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/rooms/p/messages', query: { limit: '2' }, headers: { host: url.host } };
    const presigned = await presigner.presign(base, { expiresIn: 60 });
    expect((await fetch(urlOf(presigned))).status).toBe(200);
    expect(api.calls[0]?.event.requestContext.authorizer?.iam.accessKey).toBe(CREDENTIALS.accessKeyId);
    const stale = await presigner.presign(base, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    expect(await message(await fetch(urlOf(stale)))).toMatch(/^Signature expired: .* - 60 sec\.\)$/);
    // X-Amz-Expires, not the 5 minutes of a signed header, says how long it holds.
    const lasting = await presigner.presign(base, { expiresIn: 3600, signingDate: new Date(Date.now() - 20 * 60_000) });
    expect((await fetch(urlOf(lasting))).status).toBe(200);
  });

  it('signedFetch sends requests the emulator accepts', async () => {
    const opts = { credentials: CREDENTIALS, region: REGION };
    const res = await signedFetch(`${api.url}/rooms/x%2Fy/messages?since=a%2Bb&q=caf%C3%A9`, { method: 'GET' }, opts);
    // %2F decodes to a slash, which makes the path not fit the route: 404 before any auth.
    expect(res.status).toBe(404);
    const ok = await signedFetch(`${api.url}/rooms/caf%C3%A9/messages?since=a%2Bb&q=x%20y`, { method: 'GET' }, opts);
    expect(ok.status).toBe(200);
    expect(api.calls[0]?.event.queryStringParameters).toEqual({ since: 'a+b', q: 'x y' });
    const posted = await signedFetch(`${api.url}/rooms/lobby/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"data":true}' }, opts);
    expect(posted.status).toBe(200);
    expect(api.calls[1]?.event.body).toBe('{"data":true}');
  });
});
