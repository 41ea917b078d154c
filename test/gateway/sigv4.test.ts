import { ForbiddenException, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { Client, fakeInvoke, sdk, start } from './helpers.js';

const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

async function signedGateway() {
  const logs: string[] = [];
  const started = await start({ invoke: fakeInvoke().invoke, credentials, log: (line) => logs.push(line) });
  const client = await Client.open(started.url);
  const id = started.gateway.connections()[0]!;
  return { ...started, client, id, logs, target: `${started.connectionsUrl}/@connections/${encodeURIComponent(id)}` };
}

/** A presigned URL for a POST of `body` to `target`: the signature in the query string, no Authorization header. */
async function presignedPost(target: string, body: string, options: { signingDate?: Date; expiresIn?: number; sessionToken?: string } = {}): Promise<string> {
  const url = new URL(target);
  const signer = new SignatureV4({ credentials: { ...credentials, ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}) }, region: 'eu-west-1', service: 'execute-api', sha256: Sha256 });
  const presigned = await signer.presign(
    { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host }, body },
    { expiresIn: options.expiresIn ?? 60, ...(options.signingDate ? { signingDate: options.signingDate } : {}) },
  );
  const query = new URLSearchParams(presigned.query as Record<string, string>);
  return `${url.origin}${url.pathname}?${query}`;
}

/** Signs a POST of `body` to `target` by hand, as any SigV4 client would. */
async function signedPost(target: string, body: string, options: { signingDate?: Date; secret?: string; checksum?: boolean; region?: string } = {}) {
  const url = new URL(target);
  const signer = new SignatureV4({
    credentials: { ...credentials, secretAccessKey: options.secret ?? credentials.secretAccessKey },
    region: options.region ?? 'eu-west-1',
    service: 'execute-api',
    sha256: Sha256,
    applyChecksum: options.checksum ?? false,
  });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, 'content-type': 'text/plain' }, body },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  return signed.headers;
}

async function forbidden(response: Response): Promise<void> {
  expect(response.status).toBe(403);
  expect(response.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
  expect(await response.json()).toEqual({ message: 'Forbidden' });
}

describe('SigV4 on @connections', () => {
  it('accepts requests the AWS SDK signed with the configured credentials', async () => {
    const { connectionsUrl, client, id } = await signedGateway();
    const api = sdk(connectionsUrl);
    await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('signed') }));
    expect(await client.next()).toBe('signed');
    expect((await api.send(new GetConnectionCommand({ ConnectionId: id }))).Identity?.SourceIp).toBe('127.0.0.1');
  });

  it('refuses a wrong secret with ForbiddenException', async () => {
    const { connectionsUrl, client, id } = await signedGateway();
    const error = await sdk(connectionsUrl, 'wrong').send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('x') })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenException);
    expect(await client.quiet()).toBe(true);
  });

  it('refuses unsigned requests', async () => {
    const { target, client } = await signedGateway();
    await forbidden(await fetch(target, { method: 'POST', body: 'x' }));
    await forbidden(await fetch(target));
    expect(await client.quiet()).toBe(true);
  });

  it('accepts a hand-signed request and refuses it once tampered with', async () => {
    const { target, client } = await signedGateway();
    const headers = await signedPost(target, 'original');
    expect((await fetch(target, { method: 'POST', headers, body: 'original' })).status).toBe(200);
    expect(await client.next()).toBe('original');
    await forbidden(await fetch(target, { method: 'POST', headers, body: 'tampered' }));
    await forbidden(await fetch(`${target}x`, { method: 'POST', headers, body: 'original' }));
    await forbidden(await fetch(target, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: 'original' }));
    const checksummed = await signedPost(target, 'original', { checksum: true });
    expect((await fetch(target, { method: 'POST', headers: checksummed, body: 'original' })).status).toBe(200);
    await forbidden(await fetch(target, { method: 'POST', headers: checksummed, body: 'tampered' }));
    expect(await client.next()).toBe('original');
    expect(await client.quiet()).toBe(true);
  });

  it('refuses signatures more than 5 minutes off, or for another region', async () => {
    const { target } = await signedGateway();
    const old = await signedPost(target, 'x', { signingDate: new Date(Date.now() - 6 * 60 * 1000) });
    await forbidden(await fetch(target, { method: 'POST', headers: old, body: 'x' }));
    const recent = await signedPost(target, 'x', { signingDate: new Date(Date.now() - 4 * 60 * 1000) });
    expect((await fetch(target, { method: 'POST', headers: recent, body: 'x' })).status).toBe(200);
    const elsewhere = await signedPost(target, 'x', { region: 'us-east-1' });
    await forbidden(await fetch(target, { method: 'POST', headers: elsewhere, body: 'x' }));
  });

  it("logs why it refused, in API Gateway's words", async () => {
    const { target, logs } = await signedGateway();
    const old = await signedPost(target, 'x', { signingDate: new Date(Date.now() - 6 * 60 * 1000) });
    await forbidden(await fetch(target, { method: 'POST', headers: old, body: 'x' }));
    expect(logs.at(-1)).toMatch(/ refused: Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    const elsewhere = await signedPost(target, 'x', { region: 'us-east-1' });
    await forbidden(await fetch(target, { method: 'POST', headers: elsewhere, body: 'x' }));
    expect(logs.at(-1)).toMatch(/ refused: Credential should be scoped to a valid region\. $/);
    const signed = await signedPost(target, 'original');
    await forbidden(await fetch(target, { method: 'POST', headers: signed, body: 'tampered' }));
    expect(logs.at(-1)).toContain(' refused: The request signature we calculated does not match the signature you provided.');
  });
});

describe('presigned URLs on @connections', () => {
  it('accepts a presigned POST and refuses it once tampered with', async () => {
    const { target, client } = await signedGateway();
    const url = await presignedPost(target, 'by query');
    expect((await fetch(url, { method: 'POST', body: 'by query' })).status).toBe(200);
    expect(await client.next()).toBe('by query');
    await forbidden(await fetch(url, { method: 'POST', body: 'changed' }));
    await forbidden(await fetch(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600'), { method: 'POST', body: 'by query' }));
    expect(await client.quiet()).toBe(true);
  });

  it('holds a presigned URL for its X-Amz-Expires, not the 5 minutes of a signed header', async () => {
    const { target, client, logs } = await signedGateway();
    const lasting = await presignedPost(target, 'x', { signingDate: new Date(Date.now() - 20 * 60 * 1000), expiresIn: 3600 });
    expect((await fetch(lasting, { method: 'POST', body: 'x' })).status).toBe(200);
    expect(await client.next()).toBe('x');
    const expired = await presignedPost(target, 'y', { signingDate: new Date(Date.now() - 120 * 1000), expiresIn: 60 });
    await forbidden(await fetch(expired, { method: 'POST', body: 'y' }));
    expect(logs.at(-1)).toMatch(/ refused: Signature expired: .* - 60 sec\.\)$/);
    expect(await client.quiet()).toBe(true);
  });

  it('covers a session token (X-Amz-Security-Token) with the signature', async () => {
    const { target, client } = await signedGateway();
    const url = await presignedPost(target, 'temporary', { sessionToken: 'session-one' });
    expect(url).toContain('X-Amz-Security-Token=session-one');
    expect((await fetch(url, { method: 'POST', body: 'temporary' })).status).toBe(200);
    expect(await client.next()).toBe('temporary');
    await forbidden(await fetch(url.replace('session-one', 'session-two'), { method: 'POST', body: 'temporary' }));
    expect(await client.quiet()).toBe(true);
  });
});
