/**
 * The README's examples, run exactly as written: the code blocks marked
 * ```js title="browser-example"``` and ```js title="publish-example"``` are read from
 * README.md, only their URL, endpoint and token placeholders are replaced with the local
 * cloud's, and they run from a project that has this package installed (a `node_modules/
 * roomcast` link), importing `roomcast/client` and `roomcast/publisher` through the package's
 * exports. The browser example runs under Node (`node --import roomcast/register`) and, bundled
 * by esbuild as an app's bundler would, in headless Chromium; the publish example runs under
 * Node with the local credentials in the environment (the default credential chain).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CHROMIUM, launchChromium, type HeadlessChromium } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The package's own exports, as a TypeScript user imports them (checked by the typecheck).
import type { RoomMessage } from 'roomcast/client';
import type { PublishResult } from 'roomcast/publisher';
import { createPublisher } from '../../client/publisher/index.js';
import { cloudForFile, eventually, PATIENCE_MS, published } from './support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The README's placeholders, as they are written there. */
const PLACEHOLDERS = {
  wsUrl: "'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod'",
  token: "'<your JWT>'",
  publishUrl: "'https://abc123.execute-api.eu-west-1.amazonaws.com'",
};
const ROOM = 'scores:1';


/** The README's examples are written for eu-west-1: the local cloud runs in that region. */
const cloud = cloudForFile({ region: 'eu-west-1' });

/** The code of the README block fenced as ```js title="<title>"; exactly one must exist. */
function readmeExample(readme: string, title: string): string {
  const fence = new RegExp('^```js title="' + title + '"\\n([\\s\\S]*?)^```$', 'gm');
  const blocks = [...readme.matchAll(fence)].map((match) => match[1]!);
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} blocks titled ${title}, expected 1`);
  return blocks[0]!;
}

/** Replaces each placeholder (which must be there) with a string literal of its value. */
function substitute(code: string, values: Array<[placeholder: string, value: string]>): string {
  for (const [placeholder, value] of values) {
    if (!code.includes(placeholder)) throw new Error(`the README example no longer contains ${placeholder}:\n${code}`);
    code = code.replaceAll(placeholder, JSON.stringify(value));
  }
  return code;
}

/** A Node process running one example, with what it printed so far. */
class Run {
  readonly out: string[] = [];
  err = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private partial = '';

  constructor(file: string, cwd: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'roomcast/register', file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (this.partial + chunk).split('\n');
      this.partial = lines.pop()!;
      this.out.push(...lines);
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.err += chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Resolves with the exit code; fails after `ms` with what the process printed. */
  async exit(ms = PATIENCE_MS): Promise<number | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the example did not exit within ${ms} ms\n${this.printed()}`)), ms);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  printed(): string {
    return `stdout:\n${[...this.out, this.partial].join('\n')}\nstderr:\n${this.err}`;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

const line = (message: Pick<RoomMessage, 'pos'>, data: unknown): string => `${message.pos} ${JSON.stringify(data)}`;

describe('the README examples, run as written', () => {
  let project = '';
  let readme = '';
  /** The environment a user's shell would give the examples: the local credentials, nothing else of AWS. */
  let env: Record<string, string> = {};
  const runs: Run[] = [];

  beforeAll(async () => {
    readme = await readFile(path.join(root, 'README.md'), 'utf8');
    project = await mkdtemp(path.join(tmpdir(), 'roomcast-readme-'));
    await mkdir(path.join(project, 'node_modules'));
    await symlink(root, path.join(project, 'node_modules', 'roomcast'), 'dir');
    await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'readme-examples', private: true, type: 'module' }));
    const { info } = cloud();
    const browser = substitute(readmeExample(readme, 'browser-example'), [
      [PLACEHOLDERS.wsUrl, info.wsUrl],
      [PLACEHOLDERS.token, info.token],
    ]);
    const publish = substitute(readmeExample(readme, 'publish-example'), [[PLACEHOLDERS.publishUrl, info.publishUrl]]);
    await writeFile(path.join(project, 'browser-example.mjs'), browser);
    await writeFile(path.join(project, 'publish-example.mjs'), publish);
    const inherited = Object.entries(process.env).filter(([key, value]) => value !== undefined && !key.startsWith('AWS_') && key !== 'NODE_OPTIONS');
    env = {
      ...(Object.fromEntries(inherited) as Record<string, string>),
      // No shared config or SSO cache of this machine: only the environment's keys.
      HOME: project,
      AWS_ACCESS_KEY_ID: info.accessKeyId,
      AWS_SECRET_ACCESS_KEY: info.secretAccessKey,
    };
  });

  afterAll(async () => {
    runs.forEach((run) => run.kill());
    if (project) await rm(project, { recursive: true, force: true });
  });

  const node = (file: string): Run => {
    const run = new Run(file, project, env);
    runs.push(run);
    return run;
  };

  it(
    `the browser example logs the snapshot and live messages under Node${CHROMIUM ? ' and in Chromium' : ''}, and leaves at the final whistle; the publish example publishes`,
    async () => {
      // History for the snapshot.
      const kickoff = await published(cloud(), ROOM, { home: 0, away: 0 }, 'kickoff');
      const first = await published(cloud(), ROOM, { home: 1, away: 0 }, 'goal-12');
      const expected = [line(kickoff, { home: 0, away: 0 }), line(first, { home: 1, away: 0 })];

      const underNode = node('browser-example.mjs');
      const browser = CHROMIUM ? await openInChromium(project) : undefined;
      try {
        const logs = (): Array<{ where: string; lines: string[] }> => [
          { where: 'under Node', lines: underNode.out },
          ...(browser ? [{ where: 'in Chromium', lines: browser.logs }] : []),
        ];
        const logged = (count: number, what: string) =>
          eventually(async () => logs().every(({ lines }) => lines.length >= count), what).catch((error) => {
            const seen = logs().map(({ where, lines }) => `${where}: ${JSON.stringify(lines)}`).join('\n');
            throw new Error(`${(error as Error).message}\n${seen}\n${underNode.printed()}\n${browser?.problems.join('\n') ?? ''}`);
          });
        await logged(expected.length, 'the browser example to log the snapshot');

        const publisher = node('publish-example.mjs');
        expect(await publisher.exit(), publisher.printed()).toBe(0);
        const [printed, ...more] = publisher.out;
        expect(more).toEqual([]);
        expect(printed).toMatch(/^published at \d{16}\.[a-z0-9-]+\.\d{16}$/);
        const goal: PublishResult = { room: ROOM, id: 'goal-77', pos: printed!.slice('published at '.length) };
        expected.push(line(goal, { home: 2, away: 1 }));
        await logged(expected.length, 'the browser example to log the published message');

        const whistle = await published(cloud(), ROOM, { home: 2, away: 1, final: true }, 'final-whistle');
        expected.push(line(whistle, { home: 2, away: 1, final: true }));
        // Both examples unsubscribe and close their client: the Node one then exits by itself.
        expect(await underNode.exit(), underNode.printed()).toBe(0);
        await eventually(async () => (cloud().servers.gateway?.gateway.connections() ?? []).length === 0, 'every example to close its socket');
        // Each one left the room first: one `unsubscribe` frame per example.
        const examples = browser ? 2 : 1;
        await eventually(async () => cloud().runtime.stats('UnsubscribeFunction').invocations >= examples, 'the unsubscribe frames');
        expect(cloud().runtime.stats('UnsubscribeFunction')).toMatchObject({ invocations: examples, errors: 0 });

        expect(underNode.out).toEqual(expected);
        expect(underNode.err).toBe('');
        if (browser) {
          expect(browser.logs).toEqual(expected);
          expect(browser.problems).toEqual([]);
        }
      } finally {
        underNode.kill();
        await browser?.close();
      }
    },
    120_000,
  );

  it('the publish example, run again, answers the same position and stores nothing new (its id is the idempotency key)', async () => {
    const { info } = cloud();
    const history = createPublisher({ endpoint: info.publishUrl, region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey } });
    const runs = [node('publish-example.mjs')];
    expect(await runs[0]!.exit(), runs[0]!.printed()).toBe(0);
    const before = (await history.history(ROOM)).messages;
    runs.push(node('publish-example.mjs'));
    expect(await runs[1]!.exit(), runs[1]!.printed()).toBe(0);
    const after = (await history.history(ROOM)).messages;
    expect(after).toEqual(before);
    const goal = after.find((message) => message.id === 'goal-77');
    for (const run of runs) {
      expect(run.out).toEqual([`published at ${goal?.pos}`]);
      expect(run.err).toBe('');
    }
  });
});

/**
 * The browser example as an app ships it: bundled by esbuild for the browser (resolving
 * `roomcast/client` through the installed package), loaded by a page served from this machine.
 */
async function openInChromium(project: string): Promise<{ logs: string[]; problems: string[]; close(): Promise<void> }> {
  const { outputFiles, metafile } = await build({
    entryPoints: [path.join(project, 'browser-example.mjs')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const bundle = outputFiles[0]!.text;
  // `roomcast/client` resolved to the browser entry: the bundle holds nothing of Node's.
  const nodeOnly = Object.keys(metafile.inputs).filter((input) => /client\/sdk\/node\.ts$|node_modules\/ws\//.test(input));
  if (nodeOnly.length > 0) throw new Error(`the browser bundle holds ${nodeOnly.join(', ')}`);
  // The app's page comes from this machine, like the local cloud (Chromium refuses sockets
  // from public origins to 127.0.0.1: Local Network Access).
  const server = createServer((request, response) => {
    const script = request.url === '/example.js';
    response.writeHead(200, { 'content-type': script ? 'text/javascript' : 'text/html' });
    response.end(script ? bundle : '<!doctype html><title>roomcast</title><script type="module" src="/example.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let browser: HeadlessChromium | undefined;
  const cleanUp = async (): Promise<void> => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
  };
  try {
    browser = await launchChromium();
    const { page } = browser;
    const logs: string[] = [];
    const problems: string[] = [];
    page.on('console', (message) => (message.type() === 'log' ? logs : problems).push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    return { logs, problems, close: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
