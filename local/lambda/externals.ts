/**
 * esbuild plugin: installed packages stay outside the bundles, workspace packages go in.
 *
 * A bare import is resolved the way esbuild (and Node) would resolve it. When it lands in a
 * node_modules directory (the AWS SDK, Powertools, jose...), the import is kept but
 * rewritten to that file's absolute URL, so the bundle loads the very same file from
 * wherever it is written, and Node loads each package once per worker from disk. When it
 * lands outside node_modules (a workspace package such as @roomcast/core, whose `exports`
 * point at TypeScript source), it is bundled: the function gets the shared code compiled
 * in, as SAM gives it the layer. The AWS SDK resolves from the local cloud's own
 * installation when the function has none, as Lambda's runtime provides it (runtime-sdk.ts).
 */
import { isBuiltin } from 'node:module';
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin, PluginBuild, ResolveResult } from 'esbuild';
import { isRuntimeSdk, missingRuntimeSdkMessage, RUNTIME_SDK_DIR } from './runtime-sdk.js';

const SKIP = 'roomcastExternalsResolving';
const SOURCE_ONLY = /\.(c|m)?tsx?$/;

export function externalPackages(): Plugin {
  return {
    name: 'roomcast-external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        const data = args.pluginData as Record<string, unknown> | undefined;
        if (data?.[SKIP] || args.kind === 'entry-point' || isAbsolute(args.path) || isBuiltin(args.path)) return undefined;
        let result = await resolveFrom(build, args, args.resolveDir);
        if (result.errors.length > 0 && isRuntimeSdk(args.path)) {
          const provided = await resolveFrom(build, args, RUNTIME_SDK_DIR);
          if (provided.errors.length > 0) return { errors: [{ text: missingRuntimeSdkMessage(args.path) }] };
          result = provided;
        }
        if (result.errors.length > 0) return { errors: result.errors, warnings: result.warnings };
        if (result.external) return { path: result.path, external: true };
        if (!isInstalledPackage(result.path)) return { path: result.path, sideEffects: result.sideEffects };
        const required = args.kind === 'require-call' || args.kind === 'require-resolve';
        return { path: required ? result.path : pathToFileURL(result.path).href, external: true };
      });
    },
  };
}

type ResolveArgs = Parameters<Parameters<PluginBuild['onResolve']>[1]>[0];

function resolveFrom(build: PluginBuild, args: ResolveArgs, resolveDir: string): Promise<ResolveResult> {
  return build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir, namespace: args.namespace, pluginData: { [SKIP]: true } });
}

function isInstalledPackage(path: string): boolean {
  return path.split(sep).includes('node_modules') && !SOURCE_ONLY.test(path);
}
