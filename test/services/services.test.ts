import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startDynamoDbLocal, startSqsEmulator, type RunningService } from '../../local/services/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOLDER = fileURLToPath(new URL('./fixtures/hold-dynamodb.ts', import.meta.url));
const started: RunningService[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

/** Whether a TCP connection to `address:port` is accepted. */
function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Something that answers HTTP on `port` like a service left there by another run. */
async function occupy(port: number): Promise<void> {
  const server = createHttpServer((_req, res) => res.end('{"TableNames":[]}'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
}

const portOf = (endpoint: string): number => Number(new URL(endpoint).port);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// On Linux all of 127.0.0.0/8 is loopback: a service bound to every interface accepts on
// 127.0.0.2, one bound to 127.0.0.1 does not.
describe.runIf(process.platform === 'linux')('the services listen on one address', () => {
  it('DynamoDB Local listens on 127.0.0.1 only', async () => {
    const service = await startDynamoDbLocal({ quickStart: true });
    started.push(service);
    expect(await accepts('127.0.0.1', portOf(service.endpoint))).toBe(true);
    expect(await accepts('127.0.0.2', portOf(service.endpoint))).toBe(false);
    // A local cloud's JVM is small: a heap of 16 MB to 256 MB, given back after a burst.
    const flags = (await readFile(`/proc/${service.pid}/cmdline`, 'utf8')).split('\0');
    expect(flags).toEqual(expect.arrayContaining(['-Xms16m', '-Xmx256m', '-XX:MaxHeapFreeRatio=30', '-XX:+UseSerialGC']));
  });

  it('the SQS emulator listens on 127.0.0.1 only, or on the host it is given', async () => {
    const service = await startSqsEmulator();
    started.push(service);
    expect(await accepts('127.0.0.1', portOf(service.endpoint))).toBe(true);
    expect(await accepts('127.0.0.2', portOf(service.endpoint))).toBe(false);
    const other = await startSqsEmulator({ host: '127.0.0.2' });
    started.push(other);
    expect(other.endpoint).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    expect(await accepts('127.0.0.1', portOf(other.endpoint))).toBe(false);
  });
});

describe('a taken port', () => {
  it('fails DynamoDB Local with a message naming the port, and never uses what answers there', async () => {
    const port = await freePort();
    await occupy(port);
    await expect(startDynamoDbLocal({ port, quickStart: true })).rejects.toThrow(new RegExp(`^port ${port} is taken: DynamoDB Local cannot listen on it`));
  });

  it('fails the SQS emulator with a message naming the port', async () => {
    const port = await freePort();
    await occupy(port);
    await expect(startSqsEmulator({ port })).rejects.toThrow(new RegExp(`^port ${port} is taken: the SQS emulator cannot listen on it`));
  });
});

describe('no JVM outlives the process that started it', () => {
  it('ends DynamoDB Local within seconds when its parent is killed with SIGKILL', async () => {
    const holder = spawn(process.execPath, ['--import', './bin/ts-register.mjs', HOLDER], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let output = '';
        holder.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('\n')) resolve(output.split('\n')[0]!);
        });
        holder.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        holder.once('exit', (code) => reject(new Error(`the holder exited (${code}): ${output}`)));
      });
      const { pid } = JSON.parse(line) as { pid: number };
      expect(alive(pid)).toBe(true);
      holder.kill('SIGKILL');
      const deadline = Date.now() + 5000;
      while (alive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
      const survived = alive(pid);
      if (survived) process.kill(pid, 'SIGKILL');
      expect(survived).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 40_000);
});
