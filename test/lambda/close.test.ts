import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaRuntime } from '../../local/lambda/index.js';
import { externalPackages } from '../../local/lambda/externals.js';
import { fixture, FIXTURES, REPO_ROOT } from './helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roomcast-close-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Workers, watchers and the esbuild service: none may be left after close() (timers: see the child process test). */
const OWN_HANDLES = ['MessagePort', 'FSEventWrap', 'ProcessWrap'];

function ownHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (OWN_HANDLES.includes(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('close', () => {
  it('leaves no handle of its own in this process', async () => {
    const before = ownHandles();
    const runtime = await createLambdaRuntime([fixture('CounterFunction', 'counter'), fixture('SleepFunction', 'sleep')], {
      log: () => undefined,
      watch: [FIXTURES],
    });
    await Promise.all([runtime.invoke('CounterFunction', {}), runtime.invoke('CounterFunction', {}), runtime.invoke('SleepFunction', { ms: 1 })]);
    expect(ownHandles()).not.toEqual(before);
    await runtime.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ownHandles()).toEqual(before);
  });

  it('lets a process that used a runtime exit by itself', async () => {
    // Bundle the driver; the runtime finds its worker bootstrap next to its own sources.
    const driver = join(dir, 'driver.mjs');
    await esbuild.build({
      entryPoints: [join(FIXTURES, 'exit-driver.ts')],
      outfile: driver,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      plugins: [externalPackages()],
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(REPO_ROOT, 'local', 'lambda', 'bundler.ts')).href) },
    });
    const child = spawn(process.execPath, [driver], { env: { ...process.env, LAMBDA_FIXTURES: FIXTURES }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running after 15 s');
      }, 15_000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode ?? -1);
      });
    });
    expect(code, output).toBe(0);
    expect(output.trim()).toBe('closed');
  }, 20_000);
});
