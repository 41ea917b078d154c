/**
 * A stand-in for API Gateway's `@connections` API that accepts every PostToConnection at
 * once (200) and counts the posts per connection id. It runs in a child process, so that
 * the CPU time of the deliver function measured in the parent is the function's own.
 *
 * Why not the local gateway: it answers 410 for a connection with no socket, and a 410
 * makes deliver delete the subscription (a write that would not happen for a live client).
 * The subscribers of a benchmark room exist only as rows in the connections table; the
 * accounting stays honest because every post is counted here and checked against the
 * room's subscribers: each exactly once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface PostCounter {
  /** `http://127.0.0.1:PORT/STAGE`, the deliver function's CONNECTIONS_ENDPOINT. */
  endpoint: string;
  /** Posts received per connection id since the last reset. */
  counts(): Promise<Record<string, number>>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const STAGE = 'bench';
const TS_REGISTER = new URL('../bin/ts-register.mjs', import.meta.url).href;

export async function startPostCounter(): Promise<PostCounter> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', TS_REGISTER], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the post counter exited (${code}) before it listened`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    endpoint: `${base}/${STAGE}`,
    counts: async () => (await (await fetch(`${base}/_counts`)).json()) as Record<string, number>,
    reset: async () => void (await fetch(`${base}/_reset`, { method: 'POST' })),
    close: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}

function serve(): void {
  let counts = new Map<string, number>();
  const prefix = `/${STAGE}/@connections/`;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method === 'POST' && path.startsWith(prefix)) {
        const id = decodeURIComponent(path.slice(prefix.length));
        counts.set(id, (counts.get(id) ?? 0) + 1);
        res.writeHead(200, { 'content-length': '0', 'x-amzn-RequestId': 'bench' }).end();
      } else if (path === '/_counts') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(counts)));
      } else if (path === '/_reset') {
        counts = new Map();
        res.writeHead(204).end();
      } else {
        res.writeHead(403, { 'x-amzn-ErrorType': 'ForbiddenException' }).end('{}');
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--serve')) serve();
