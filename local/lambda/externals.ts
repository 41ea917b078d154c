/**
 * esbuild plugin: installed packages stay outside the bundles, workspace packages go in.
 *
 * A bare import is resolved the way esbuild (and Node) would resolve it. When it lands in a
 * node_modules directory (the AWS SDK, Powertools, jose...), the import is kept but
 * rewritten to that file's absolute URL, so the bundle loads the very same file from
 * wherever it is written, and Node loads each package once per worker from disk. When it
 * lands outside node_modules (a workspace package such as @roomcast/core, whose `exports`
 * point at TypeScript source), it is bundled: the function gets the shared code compiled
 * in, as SAM gives it the layer.
 */
import { isBuiltin } from 'node:module';
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

const SKIP = 'roomcastExternalsResolving';
const SOURCE_ONLY = /\.(c|m)?tsx?$/;

export function externalPackages(): Plugin {
  return {
    name: 'roomcast-external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        const data = args.pluginData as Record<string, unknown> | undefined;
        if (data?.[SKIP] || args.kind === 'entry-point' || isAbsolute(args.path) || isBuiltin(args.path)) return undefined;
        const result = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          namespace: args.namespace,
          pluginData: { [SKIP]: true },
        });
        if (result.errors.length > 0) return { errors: result.errors, warnings: result.warnings };
        if (result.external) return { path: result.path, external: true };
        if (!isInstalledPackage(result.path)) return { path: result.path, sideEffects: result.sideEffects };
        const required = args.kind === 'require-call' || args.kind === 'require-resolve';
        return { path: required ? result.path : pathToFileURL(result.path).href, external: true };
      });
    },
  };
}

function isInstalledPackage(path: string): boolean {
  return path.split(sep).includes('node_modules') && !SOURCE_ONLY.test(path);
}
