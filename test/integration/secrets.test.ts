/**
 * Secrets as a deployed stack reads them (adapters/secrets.ts: Powertools' SSM and Secrets
 * Manager providers with a max age), against a stand-in that answers the two services'
 * JSON protocols on a local port and counts the reads. The SDK finds it through the
 * service endpoint variables (AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSecret } from '../../layers/core/src/adapters/secrets.js';

const ARN = 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:roomcast-jwt-AbCdEf';
const values: Record<string, string> = { '/roomcast/jwt': 'first-ssm-secret', [ARN]: 'first-sm-secret' };
const reads: string[] = [];
let server: Server;
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target']);
      const input = JSON.parse(body) as { Name?: string; SecretId?: string; WithDecryption?: boolean };
      reads.push(`${target} ${input.Name ?? input.SecretId}${input.WithDecryption ? ' decrypted' : ''}`);
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target === 'AmazonSSM.GetParameter') return res.end(JSON.stringify({ Parameter: { Name: input.Name, Type: 'SecureString', Value: values[input.Name!] } }));
      if (target === 'secretsmanager.GetSecretValue') return res.end(JSON.stringify({ ARN: input.SecretId, SecretString: values[input.SecretId!] }));
      res.statusCode = 400;
      res.end(JSON.stringify({ __type: 'UnknownOperationException' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SSM: endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});

afterAll(async () => {
  vi.useRealTimers();
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

describe('secrets with a max age', () => {
  it('reads an SSM SecureString decrypted, once per max age, and a rotated value after it', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    expect(await loadSecret('/roomcast/jwt', 'eu-north-1', 300)).toBe('first-ssm-secret');
    values['/roomcast/jwt'] = 'rotated-ssm-secret';
    vi.advanceTimersByTime(299_000);
    expect(await loadSecret('/roomcast/jwt', 'eu-north-1', 300)).toBe('first-ssm-secret');
    vi.advanceTimersByTime(2_000);
    expect(await loadSecret('/roomcast/jwt', 'eu-north-1', 300)).toBe('rotated-ssm-secret');
    expect(reads.filter((read) => read.startsWith('AmazonSSM'))).toEqual(['AmazonSSM.GetParameter /roomcast/jwt decrypted', 'AmazonSSM.GetParameter /roomcast/jwt decrypted']);
    vi.useRealTimers();
  });

  it('reads a Secrets Manager secret by its ARN, once per max age', async () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
    expect(await loadSecret(ARN, 'eu-north-1', 60)).toBe('first-sm-secret');
    values[ARN] = 'rotated-sm-secret';
    expect(await loadSecret(ARN, 'eu-north-1', 60)).toBe('first-sm-secret');
    vi.advanceTimersByTime(61_000);
    expect(await loadSecret(ARN, 'eu-north-1', 60)).toBe('rotated-sm-secret');
    expect(reads.filter((read) => read.startsWith('secretsmanager'))).toEqual([`secretsmanager.GetSecretValue ${ARN}`, `secretsmanager.GetSecretValue ${ARN}`]);
    vi.useRealTimers();
  });

  it('refuses a reference that is neither, and an empty secret', async () => {
    await expect(loadSecret('roomcast-jwt', 'eu-north-1', 60)).rejects.toMatchObject({ code: 'INTERNAL' });
    values['/roomcast/empty'] = '';
    await expect(loadSecret('/roomcast/empty', 'eu-north-1', 60)).rejects.toThrow(/is empty/);
  });
});
