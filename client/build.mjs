/**
 * Build the client SDK with esbuild:
 *   dist/client/roomcast.min.js  browser, ESM, minified, no dependencies (the size is printed)
 *   dist/client/node.js          Node, ESM; loads `ws` when Node has no global WebSocket
 * Usage: node client/build.mjs [--out <dir>]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outFlag = process.argv.indexOf('--out');
const out = path.resolve(root, outFlag > 0 ? process.argv[outFlag + 1] : 'dist/client');
const sdk = (file) => path.join(root, 'client/sdk', file);

const browserFile = path.join(out, 'roomcast.min.js');
await build({
  entryPoints: [sdk('index.ts')],
  outfile: browserFile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  // Class fields as constructor assignments rather than defineProperty calls: the same for
  // these classes (none shadows an accessor), and 283 bytes less gzipped.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({
  entryPoints: [sdk('node.ts')],
  outfile: path.join(out, 'node.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ws'],
  logLevel: 'warning',
});

const code = await readFile(browserFile);
const gzipped = gzipSync(code, { level: 9 }).length;
const budget = 7 * 1024;
console.log(`${path.relative(root, browserFile)}: ${code.length} bytes minified, ${gzipped} bytes gzipped (budget ${budget})`);
console.log(`${path.relative(root, path.join(out, 'node.js'))}: Node entry (ws loaded on demand)`);
if (gzipped > budget) {
  console.error(`the browser bundle is over budget by ${gzipped - budget} bytes`);
  process.exitCode = 1;
}
