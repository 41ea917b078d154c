import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLambdaRuntime, RUNTIME_LOG_ID, type LambdaRuntime } from '../../local/lambda/index.js';
import { captureLogs, fixture, FIXTURES, waitFor, type LoggedLine } from './helpers.js';

let dir: string;
let source: string;
let runtime: LambdaRuntime | undefined;
let lines: LoggedLine[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'roomcast-reload-test-'));
  source = join(dir, 'src', 'version.ts');
  await mkdir(join(dir, 'src'));
  await copyFile(join(FIXTURES, 'version.ts'), source);
  const logs = captureLogs();
  lines = logs.lines;
  runtime = await createLambdaRuntime(
    [fixture('VersionFunction', 'version', { entry: source, timeoutSeconds: 30 }), fixture('CounterFunction', 'counter')],
    { log: logs.log, watch: [join(dir, 'src')], debounceMs: 50, outDir: join(dir, 'out') },
  );
});

afterEach(async () => {
  await runtime?.close();
  await rm(dir, { recursive: true, force: true });
});

async function setVersion(text: string): Promise<void> {
  const original = await readFile(join(FIXTURES, 'version.ts'), 'utf8');
  await writeFile(source, original.replace('const VERSION = 1;', text));
}

const runtimeLines = (pattern: RegExp): string[] => lines.filter((l) => l.fn === RUNTIME_LOG_ID && pattern.test(l.line)).map((l) => l.line);

describe('hot reload', () => {
  it('swaps the code on change; in-flight invocations finish on the old code', async () => {
    const rt = runtime as LambdaRuntime;
    expect(await rt.invoke('VersionFunction', {})).toEqual({ version: 1 });
    await rt.invoke('CounterFunction', {});
    // Runs until the test writes `release`: it holds a worker of the current code while the code changes.
    const release = join(dir, 'release');
    const inFlight = rt.invoke('VersionFunction', { release });
    await waitFor(() => rt.stats('VersionFunction').concurrent === 1);

    await setVersion('const VERSION = 2;');
    await waitFor(() => runtimeLines(/^reloaded 1 function in \d+ ms \(1 unchanged\)$/).length === 1);
    expect(await rt.invoke('VersionFunction', {})).toEqual({ version: 2 });
    expect(rt.stats('VersionFunction').concurrent).toBe(1);
    await writeFile(release, '');
    expect(await inFlight).toEqual({ version: 1 });
    expect(rt.stats('VersionFunction').coldStarts).toBe(2);

    // The unchanged function keeps its warm environment.
    expect(await rt.invoke('CounterFunction', {})).toMatchObject({ count: 2 });
    expect(rt.stats('CounterFunction').coldStarts).toBe(1);

    // The old bundle is deleted once no worker needs it.
    const files = (await readdir(join(dir, 'out'))).filter((f) => f.startsWith('VersionFunction.'));
    expect(files).toHaveLength(1);
  });

  it('keeps the old code running when the build fails, and says why', async () => {
    const rt = runtime as LambdaRuntime;
    expect(await rt.invoke('VersionFunction', {})).toEqual({ version: 1 });
    await setVersion('const VERSION = ;');
    await waitFor(() => runtimeLines(/^reload failed/).length > 0);
    const message = runtimeLines(/^reload failed/)[0] ?? '';
    expect(message).toContain('the previous code keeps running');
    expect(message).toContain('Unexpected ";"');
    expect(message).toMatch(/src\/version\.ts:2:\d+/);
    expect(await rt.invoke('VersionFunction', {})).toEqual({ version: 1 });
    await expect(rt.reload()).rejects.toThrow(/build failed/);

    await setVersion('const VERSION = 3;');
    await rt.reload();
    expect(await rt.invoke('VersionFunction', {})).toEqual({ version: 3 });
  });

  it('changes nothing when nothing changed', async () => {
    const rt = runtime as LambdaRuntime;
    await rt.invoke('CounterFunction', {});
    await rt.reload();
    expect(runtimeLines(/^reloaded 0 functions in \d+ ms \(2 unchanged\)$/)).toHaveLength(1);
    expect(await rt.invoke('CounterFunction', {})).toMatchObject({ count: 2 });
  });
});
