import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudInfo } from '../../local/cloud.js';
import { signedFetch } from '../../local/http-api/index.js';
import { eventually } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const running: ChildProcess[] = [];
afterAll(() => running.forEach((child) => child.kill('SIGKILL')));

/** `roomcast dev` as a user runs it; resolves with the parsed `ready` line. */
function startDev(args: string[], port = 0): Promise<{ child: ChildProcess; info: CloudInfo; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'roomcast.mjs'), 'dev', '--port', String(port), '--no-watch', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const line = pending.split('\n').find((item) => item.startsWith('ready '));
      if (line) resolve({ child, info: JSON.parse(line.slice('ready '.length)) as CloudInfo, exited });
    });
    void exited.then((code) => reject(new Error(`roomcast dev exited (${code}) before ready:\n${output}`)));
  });
}

/** Every process below `pid` (Linux /proc), e.g. the JVM and esbuild's service. */
function descendants(pid: number): number[] {
  if (!existsSync('/proc')) return [];
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [child, ppid] of parents) if (ppid === parent && !found.includes(child)) (found.push(child), visit(child));
  };
  visit(pid);
  return found;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

async function stopWithCtrlC(child: ChildProcess, exited: Promise<number | null>, jvm: number | undefined): Promise<void> {
  const family = descendants(child.pid!);
  if (jvm !== undefined) expect(family).toContain(jvm);
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  await eventually(async () => family.every((pid) => !alive(pid)), `no process left of ${family.join(', ')}`);
}

describe('roomcast dev as a process', () => {
  it('prints the ready line, keeps data with --persist, and leaves no process behind on Ctrl-C', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'roomcast-persist-'));
    try {
      const first = await startDev(['--persist', dir]);
      const { info } = first;
      expect(info).toMatchObject({ wsUrl: expect.stringMatching(/^ws:\/\//), publishUrl: expect.stringMatching(/^http:\/\//), connectionsUrl: expect.any(String), consoleUrl: expect.any(String), region: 'us-east-1' });
      expect(info.token.split('.')).toHaveLength(3);
      const signing = { region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey } };
      const url = `${info.publishUrl}/rooms/kept/messages`;
      const posted = await signedFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'm1', data: { kept: true } }) }, signing);
      expect(posted.status).toBe(202);
      expect((await fetch(info.consoleUrl)).headers.get('content-type')).toMatch(/^text\/html/);
      await stopWithCtrlC(first.child, first.exited, info.pids.dynamodb);

      const second = await startDev(['--persist', dir]);
      const history = await signedFetch(`${second.info.publishUrl}/rooms/kept/messages`, {}, signing);
      expect((await history.json()).messages).toMatchObject([{ id: 'm1', data: { kept: true } }]);
      await stopWithCtrlC(second.child, second.exited, second.info.pids.dynamodb);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('leaves no DynamoDB Local behind when it is killed with SIGKILL', async () => {
    const { child, info, exited } = await startDev([]);
    const jvm = info.pids.dynamodb;
    expect(jvm).toEqual(expect.any(Number));
    expect(alive(jvm!)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    try {
      await eventually(async () => !alive(jvm!), `DynamoDB Local (pid ${jvm}) still runs after its local cloud was killed`, 5000);
    } finally {
      if (alive(jvm!)) process.kill(jvm!, 'SIGKILL');
    }
  }, 60_000);

  it('fails the start naming a port that is taken, and does not use what answers there', async () => {
    // A port whose three below it are free (the cloud's first ports), held by a server that answers like DynamoDB.
    let taken = createServer((_req, res) => res.end('{"TableNames":[]}'));
    for (let attempt = 0; ; attempt += 1) {
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const held = (taken.address() as AddressInfo).port;
      if (held > 1024 + 3 && (await allFree([held - 3, held - 2, held - 1]))) break;
      await new Promise((done) => taken.close(done));
      if (attempt >= 20) throw new Error('found no port with three free ports below it');
      taken = createServer((_req, res) => res.end('{"TableNames":[]}'));
    }
    const port = (taken.address() as AddressInfo).port;
    try {
      // DynamoDB Local's port is the first port + 3. Another process of the suite may take
      // one of the cloud's other ports meanwhile: then the start names that one, and the
      // check is made again (at most 3 times); the cloud must never start.
      let failure = '';
      for (let attempt = 0; attempt < 3; attempt += 1) {
        failure = await startDev([], port - 3).then(
          ({ child }) => (child.kill('SIGKILL'), 'started'),
          (error: Error) => error.message,
        );
        if (failure === 'started' || /port (\d+) is taken/.exec(failure)?.[1] === String(port)) break;
      }
      expect(failure).toMatch(new RegExp(`port ${port} is taken: DynamoDB Local cannot listen on it`));
    } finally {
      await new Promise((done) => taken.close(done));
    }
  }, 60_000);
});

/** Whether each port can be listened on at 127.0.0.1 right now. */
async function allFree(ports: readonly number[]): Promise<boolean> {
  const results = await Promise.all(
    ports.map(
      (port) =>
        new Promise<boolean>((resolve) => {
          const probe = createServer();
          probe.once('error', () => resolve(false));
          probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
        }),
    ),
  );
  return results.every(Boolean);
}
