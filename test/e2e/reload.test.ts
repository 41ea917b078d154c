import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.js';
import { newConnectionId, PATIENCE_MS, Socket, startCloud } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// A copy of the application inside the repository (so that packages resolve), edited by the test.
const COPY = join(ROOT, 'test', 'artifacts', `reload-${process.pid}`);
const PING_HANDLER = join(COPY, 'functions', 'default', 'index.ts');

let cloud: LocalCloud;
const reloads: string[] = [];
let reloaded: (() => void) | undefined;

beforeAll(async () => {
  await mkdir(COPY, { recursive: true });
  await cp(join(ROOT, 'template.yaml'), join(COPY, 'template.yaml'));
  await cp(join(ROOT, 'functions'), join(COPY, 'functions'), { recursive: true });
  cloud = await startCloud({
    template: join(COPY, 'template.yaml'),
    watch: true,
    functionLog: (fn, line) => {
      if (fn === 'lambda' && line.startsWith('reloaded')) {
        reloads.push(line);
        reloaded?.();
      }
    },
  });
});
afterAll(async () => {
  await cloud?.stop();
  await rm(COPY, { recursive: true, force: true });
});

describe('hot reload', () => {
  it('runs the edited handler on the next frame, on the same open socket', async () => {
    const before = cloud.servers.gateway!.gateway.connections();
    const socket = await Socket.open(cloud);
    const id = newConnectionId(cloud, before);
    await socket.subscribe(['kept']);
    socket.send({ action: 'ping' });
    expect(await socket.waitFor((frame) => frame.type === 'pong', 'pong')).toEqual({ type: 'pong' });

    const done = new Promise<void>((resolve, reject) => {
      reloaded = resolve;
      setTimeout(() => reject(new Error('no reload')), PATIENCE_MS);
    });
    const source = await readFile(PING_HANDLER, 'utf8');
    await writeFile(PING_HANDLER, source.replace('async (request) => answerDefault(parseClientFrame(request.body))', "async (request) => (parseClientFrame(request.body), JSON.stringify({ type: 'pong', edition: 2 }))"));
    await done;
    expect(reloads.at(-1)).toMatch(/^reloaded 1 function in \d+ ms/);

    const from = socket.frames.length;
    socket.send({ action: 'ping' });
    expect(await socket.waitFor((frame) => frame.type === 'pong', 'pong from the new code', from)).toEqual({ type: 'pong', edition: 2 });
    expect(cloud.servers.gateway!.gateway.connections()).toContain(id);
    await socket.subscribe(['kept']);
    expect(socket.frames.at(-1)).toEqual({ type: 'subscribed', rooms: ['kept'] });
    await socket.close();
  });
});
