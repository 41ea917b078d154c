/**
 * `npm run bench:bundle-sizes`: what each function ships, built as `sam build` builds it:
 * the CoreLayer bundle (every dependency inside) and each function's own bundle (esbuild
 * with the template's settings: CommonJS, node22, `@roomcast/core` and `@aws-sdk/*`
 * external). Prints a table, or one JSON object with `--json`.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** layers/core/build.mjs, the build `sam build` runs for the layer (plain JavaScript, so typed here). */
const { buildLayer } = (await import('../layers/core/build.mjs' as string)) as { buildLayer(outDir: string, options: { quiet: boolean }): Promise<string> };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BundleSizes {
  /** The layer's index.js, bytes. */
  layer: number;
  /** Each function's index.js, bytes, by folder name. */
  functions: Record<string, number>;
}

export async function bundleSizes(): Promise<BundleSizes> {
  const out = await mkdtemp(path.join(tmpdir(), 'roomcast-bundles-'));
  try {
    const layer = (await stat(await buildLayer(path.join(out, 'layer'), { quiet: true }))).size;
    const folders = (await readdir(path.join(root, 'functions'), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    const functions: Record<string, number> = {};
    for (const name of folders) {
      const outfile = path.join(out, 'functions', name, 'index.js');
      await esbuild.build({
        entryPoints: [path.join(root, 'functions', name, 'index.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'cjs',
        external: ['@roomcast/core', '@aws-sdk/*'],
        logLevel: 'error',
      });
      functions[name] = (await stat(outfile)).size;
    }
    return { layer, functions };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = await bundleSizes();
  if (process.argv.includes('--json')) console.log(JSON.stringify(sizes));
  else {
    console.log(`layer (@roomcast/core)  ${kib(sizes.layer)}`);
    for (const [name, bytes] of Object.entries(sizes.functions)) console.log(`${name.padEnd(23)} ${kib(bytes)}`);
  }
}
