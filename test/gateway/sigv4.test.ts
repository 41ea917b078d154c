import { ForbiddenException, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { Client, fakeInvoke, sdk, start } from './helpers.js';

const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

async function signedGateway() {
  const started = await start({ invoke: fakeInvoke().invoke, credentials });
  const client = await Client.open(started.url);
  const id = started.gateway.connections()[0]!;
  return { ...started, client, id, target: `${started.connectionsUrl}/@connections/${encodeURIComponent(id)}` };
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

  it('refuses signatures more than 15 minutes off, or for another region', async () => {
    const { target } = await signedGateway();
    const old = await signedPost(target, 'x', { signingDate: new Date(Date.now() - 16 * 60 * 1000) });
    await forbidden(await fetch(target, { method: 'POST', headers: old, body: 'x' }));
    const recent = await signedPost(target, 'x', { signingDate: new Date(Date.now() - 10 * 60 * 1000) });
    expect((await fetch(target, { method: 'POST', headers: recent, body: 'x' })).status).toBe(200);
    const elsewhere = await signedPost(target, 'x', { region: 'us-east-1' });
    await forbidden(await fetch(target, { method: 'POST', headers: elsewhere, body: 'x' }));
  });
});
