import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FOREIGN_HOST_MESSAGE } from '../../local/shared/host-check.js';
import { Client, fakeInvoke, start } from './helpers.js';

/** The local credentials are no secret: a DNS rebinding page can sign with them too. */
const CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

/** A PostToConnection signed for `host`, sent to the gateway's port on 127.0.0.1. */
async function post(port: number, host: string, id: string, data: string): Promise<{ status: number; body: string }> {
  const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials: CREDENTIALS, sha256: Sha256 });
  const path = `/test/@connections/${encodeURIComponent(id)}`;
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: host.split(':')[0]!, port, path, query: {}, headers: { host }, body: data });
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: signed.headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe('@connections refuses a Host that is not the gateway', () => {
  it('answers 403 to a validly signed post from a DNS rebinding page, and delivers nothing', async () => {
    const started = await start({ invoke: fakeInvoke().invoke, credentials: CREDENTIALS });
    const port = Number(new URL(started.connectionsUrl).port);
    const client = await Client.open(started.url);
    const [id] = started.gateway.connections();
    const refused = await post(port, `rebind.test:${port}`, id!, '{"forged":true}');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ message: FOREIGN_HOST_MESSAGE });
    const accepted = await post(port, `127.0.0.1:${port}`, id!, '{"real":true}');
    expect(accepted.status).toBe(200);
    expect(await client.next()).toBe('{"real":true}');

  });
});
