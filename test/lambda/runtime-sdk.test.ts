/**
 * What Lambda's Node.js runtime gives a function beyond its own code: the AWS SDK v3 without
 * installing it, and (locally) HTTPS requests to the application's APIs reaching the local
 * servers. The functions live outside the repository, so no package of ours resolves from them.
 */
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaRuntime, type FunctionSpec, type LambdaRuntime } from '../../local/lambda/index.js';
import { captureLogs } from './helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runtime-sdk-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function fn(id: string, source: string, extension = 'mjs'): Promise<FunctionSpec> {
  const entry = join(dir, `${id}.${extension}`);
  await writeFile(entry, source);
  return { id, entry, handler: 'handler', environment: {}, timeoutSeconds: 5, memoryMb: 256 };
}

describe("the runtime's AWS SDK", () => {
  it('resolves @aws-sdk imports the function does not install, from ESM and CommonJS', async () => {
    const specs = [
      await fn('Esm', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async () => typeof DynamoDBClient;"),
      await fn('Cjs', "const { SQSClient } = require('@aws-sdk/client-sqs');\nexports.handler = async () => typeof SQSClient;", 'js'),
    ];
    const runtime = await createLambdaRuntime(specs, { log: captureLogs().log });
    try {
      expect(await runtime.invoke('Esm', {})).toBe('function');
      expect(await runtime.invoke('Cjs', {})).toBe('function');
    } finally {
      await runtime.close();
    }
  });

  it('names a client the local cloud does not have, and how to add it', async () => {
    const spec = await fn('Kinesis', "import { KinesisClient } from '@aws-sdk/client-kinesis';\nexport const handler = async () => typeof KinesisClient;");
    await expect(createLambdaRuntime([spec], { log: captureLogs().log })).rejects.toThrow(
      /"@aws-sdk\/client-kinesis" is part of the AWS SDK that Lambda's Node.js runtime provides.*npm install @aws-sdk\/client-kinesis/,
    );
  });

  it('still refuses a package that is not the SDK', async () => {
    const spec = await fn('Other', "import left from 'left-pad-that-is-not-here';\nexport const handler = async () => left;");
    await expect(createLambdaRuntime([spec], { log: captureLogs().log })).rejects.toThrow(/Could not resolve "left-pad-that-is-not-here"/);
  });
});

describe("HTTPS requests to the application's APIs", () => {
  let server: Server;
  let port = 0;
  let runtime: LambdaRuntime;
  const seen: Array<{ host?: string; path?: string; method?: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ host: req.headers.host, path: req.url, method: req.method, body });
        res.end(JSON.stringify({ answered: req.url }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    const target = { host: '127.0.0.1', port };
    const source = `
import https from 'node:https';
import { request } from 'node:https';
const call = (how, url, body) => new Promise((resolve, reject) => {
  const req = how(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
    let text = '';
    res.on('data', (chunk) => (text += chunk));
    res.on('end', () => resolve(JSON.parse(text)));
  });
  req.on('error', reject);
  req.end(body);
});
export const handler = async (event) => call(event.named ? request : https.request, event.url, JSON.stringify(event));`;
    runtime = await createLambdaRuntime([await fn('Caller', source)], {
      log: captureLogs().log,
      endpointAliases: [
        { host: 'abc123defg.execute-api.us-east-1.amazonaws.com', port: 443, target },
        { host: '127.0.0.1', port, target },
      ],
    });
  });
  afterAll(async () => {
    await runtime?.close();
    server?.close();
  });

  it('reach the local server, keeping the path, method, body and the Host the function named', async () => {
    const url = 'https://abc123defg.execute-api.us-east-1.amazonaws.com/live/@connections/x';
    expect(await runtime.invoke('Caller', { url })).toEqual({ answered: '/live/@connections/x' });
    expect(seen.at(-1)).toEqual({ host: 'abc123defg.execute-api.us-east-1.amazonaws.com', path: '/live/@connections/x', method: 'POST', body: JSON.stringify({ url }) });
  });

  it('reach it when built from the local domainName (https to the local address), and through a named import', async () => {
    const url = `https://127.0.0.1:${port}/Prod/@connections/y`;
    expect(await runtime.invoke('Caller', { url, named: true })).toEqual({ answered: '/Prod/@connections/y' });
    expect(seen.at(-1)?.host).toBe(`127.0.0.1:${port}`);
  });

  it('leave every other host alone', async () => {
    const url = `https://other.execute-api.us-east-1.amazonaws.com.invalid/x`;
    await expect(runtime.invoke('Caller', { url })).rejects.toThrow(/ENOTFOUND|EAI_AGAIN|getaddrinfo/);
  });
});
