/** The browser bundle: built by client/build.mjs, free of `ws` and Node built-ins, under 7 KB gzipped. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

describe('client bundle', () => {
  let out = '';
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('builds a dependency-free browser bundle under 7 KB gzipped and a Node entry', async () => {
    out = await mkdtemp(path.join(tmpdir(), 'roomcast-client-'));
    const { stdout } = await run(process.execPath, [path.join(root, 'client/build.mjs'), '--out', out], { cwd: root });
    const code = await readFile(path.join(out, 'roomcast.min.js'), 'utf8');
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(stdout).toContain(`${code.length} bytes minified, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(7 * 1024);
    expect(code).not.toMatch(/\bimport\s*\(|from\s*"|require\(/);
    const loaded = (await import(pathToFileURL(path.join(out, 'roomcast.min.js')).href)) as Record<string, unknown>;
    expect(Object.keys(loaded).sort()).toEqual(['RoomcastClientError', 'connect']);
    const node = await readFile(path.join(out, 'node.js'), 'utf8');
    expect(node).toContain('import("ws")');
  }, 30_000);
});
