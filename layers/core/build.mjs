#!/usr/bin/env node
// Builds the CoreLayer: one CommonJS bundle of src/index.ts with every dependency inside
// (the AWS SDK clients too, so the layer pins the versions we test with instead of the
// runtime's), laid out the way Lambda resolves layers:
//
//   <out>/nodejs/node_modules/@roomcast/core/index.js       (+ index.js.map)
//   <out>/nodejs/node_modules/@roomcast/core/package.json   {"name","main"}
//
// Lambda puts /opt/nodejs/node_modules on NODE_PATH, so the functions' bundles (which keep
// `@roomcast/core` external) load it with a plain require('@roomcast/core').
//
// Usage: node layers/core/build.mjs [outDir]     (default: layers/core/dist)
// `sam build` runs it through layers/core/Makefile with outDir = $(ARTIFACTS_DIR).
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
// Resolved from this file's location, i.e. from the workspace's node_modules, whatever
// the current directory is (SAM runs make in a scratch copy of layers/core).
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export const PACKAGE_NAME = '@roomcast/core';

/**
 * Build the layer into outDir and return the path of the bundle.
 * @param {string} [outDir] layer root (the directory that becomes the zip's root)
 * @param {{ quiet?: boolean }} [options]
 */
export async function buildLayer(outDir = path.join(here, 'dist'), options = {}) {
  const packageDir = path.join(path.resolve(outDir), 'nodejs', 'node_modules', ...PACKAGE_NAME.split('/'));
  const outfile = path.join(packageDir, 'index.js');
  await rm(packageDir, { recursive: true, force: true });
  await mkdir(packageDir, { recursive: true });

  const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: [path.join(here, 'src', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // No `external`: the layer must be self-contained.
    // Prefer the CommonJS entry of dual packages; ESM-only ones (jose) are converted.
    mainFields: ['main', 'module'],
    sourcemap: true,
    // Stack traces only need the mappings; leaving the sources out keeps the layer small.
    sourcesContent: false,
    minify: false,
    legalComments: 'linked',
    metafile: true,
    logLevel: options.quiet ? 'error' : 'warning',
  });

  await writeFile(
    path.join(packageDir, 'package.json'),
    `${JSON.stringify({ name: PACKAGE_NAME, main: 'index.js' }, null, 2)}\n`,
  );

  if (!options.quiet) {
    const { size } = await stat(outfile);
    const inputs = Object.keys(result.metafile.inputs).length;
    console.log(`${PACKAGE_NAME}: ${outfile} (${(size / 1024).toFixed(0)} KiB, ${inputs} modules)`);
  }
  return outfile;
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const outDir = process.argv[2] ? path.resolve(process.argv[2]) : path.join(here, 'dist');
  buildLayer(outDir).catch((error) => {
    // esbuild has already printed its diagnostics
    if (!error?.errors) console.error(error);
    process.exitCode = 1;
  });
}
