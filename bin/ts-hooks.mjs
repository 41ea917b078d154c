/**
 * Module hooks that let Node 20 run this repository's TypeScript as it is: a `.ts` file is
 * compiled by esbuild on load (types stripped, one file at a time, inline source map), and
 * an import of `./x.js` from TypeScript finds `./x.ts` (the NodeNext convention the sources
 * follow). Registered by roomcast.mjs with `module.register`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const TS = /\.(c|m)?ts$/;
/** A TypeScript file's URL, also with a query (`index.ts?instance=2` imports a fresh instance). */
const isTs = (url) => TS.test(new URL(url).pathname);

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent && isTs(parent) && /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js')) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), parent);
    if (!existsSync(fileURLToPath(new URL(specifier, parent))) && existsSync(fileURLToPath(candidate))) {
      return { url: candidate.href, shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !isTs(url)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const cjs = file.endsWith('.cts');
  const source = await readFile(file, 'utf8');
  const { code } = await transform(source, {
    loader: 'ts',
    format: cjs ? 'cjs' : 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: file,
  });
  return { format: cjs ? 'commonjs' : 'module', source: code, shortCircuit: true };
}
