/**
 * Builds the functions' bundles: one esbuild context per function (each function gets its
 * own module instance of everything, as in Lambda), rebuilt incrementally on reload.
 * Bundles are ESM with inline source maps; installed packages stay external (externals.ts).
 * A bundle is written only when it changed, each time under a new name
 * (<outDir>/<id>.<build number>.mjs), so no file a worker may still be loading is rewritten.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { externalPackages } from './externals.js';
import type { FunctionSpec } from './types.js';

export interface BuiltCode {
  id: string;
  file: string;
  url: string;
  hash: string;
}

export type BuildResult =
  | { ok: true; code: Map<string, BuiltCode>; ms: number }
  | { ok: false; message: string; ms: number };

// Lets bundled CommonJS code call require() for Node built-ins inside an ESM bundle.
const REQUIRE_SHIM = "import { createRequire as __roomcastCreateRequire } from 'node:module';\nconst require = __roomcastCreateRequire(import.meta.url);";

const COMMON: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'inline',
  // Stack traces only need the mappings; the sources are on disk for debuggers.
  sourcesContent: false,
  // Same choice as Node for packages without `exports`: their CommonJS entry.
  mainFields: ['main', 'module'],
  logLevel: 'silent',
  write: false,
};

export class Bundler {
  private builds = 0;
  private readonly last = new Map<string, BuiltCode>();

  private constructor(
    private readonly outDir: string,
    private readonly contexts: Map<string, esbuild.BuildContext>,
  ) {}

  static async create(specs: FunctionSpec[], outDir: string): Promise<Bundler> {
    const entries = await Promise.all(
      specs.map(async (spec) => {
        const context = await esbuild.context({
          ...COMMON,
          entryPoints: [spec.entry],
          outfile: join(outDir, `${spec.id}.mjs`),
          banner: { js: REQUIRE_SHIM },
          plugins: [externalPackages()],
        });
        return [spec.id, context] as const;
      }),
    );
    return new Bundler(outDir, new Map(entries));
  }

  /** (Re)build every function; on any error nothing is written and the message says why. */
  async build(): Promise<BuildResult> {
    const started = performance.now();
    const ms = (): number => Math.round(performance.now() - started);
    const settled = await Promise.allSettled(
      [...this.contexts].map(async ([id, context]) => ({ id, result: await context.rebuild() })),
    );
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failures.length > 0) return { ok: false, message: await describeFailures(failures.map((f) => f.reason)), ms: ms() };
    const build = ++this.builds;
    const code = new Map<string, BuiltCode>();
    for (const s of settled) {
      if (s.status !== 'fulfilled') continue;
      const { id, result } = s.value;
      const output = result.outputFiles?.[0];
      if (!output) return { ok: false, message: `no output for ${id}`, ms: ms() };
      const previous = this.last.get(id);
      if (previous?.hash === output.hash) {
        code.set(id, previous);
        continue;
      }
      const file = join(this.outDir, `${id}.${build}.mjs`);
      await writeFile(file, output.contents);
      const built = { id, file, url: pathToFileURL(file).href, hash: output.hash };
      this.last.set(id, built);
      code.set(id, built);
    }
    return { ok: true, code, ms: ms() };
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.contexts.values()].map((context) => context.dispose()));
    this.contexts.clear();
  }
}

/** Bundle the worker bootstrap (worker-main) next to the functions; returns its path. */
export async function buildBootstrap(outDir: string): Promise<string> {
  const source = ['ts', 'js', 'mjs']
    .map((ext) => fileURLToPath(new URL(`./worker-main.${ext}`, import.meta.url)))
    .find((file) => existsSync(file));
  if (!source) throw new Error('worker-main source not found next to the lambda runtime');
  const outfile = join(outDir, 'bootstrap.mjs');
  await esbuild.build({ ...COMMON, entryPoints: [source], outfile, write: true });
  return outfile;
}

async function describeFailures(reasons: unknown[]): Promise<string> {
  const parts: string[] = [];
  for (const reason of reasons) {
    const errors = (reason as { errors?: esbuild.Message[] } | null)?.errors;
    if (errors?.length) parts.push(...(await esbuild.formatMessages(errors, { kind: 'error', color: false })));
    else parts.push(String(reason));
  }
  // The same error (in shared code) fails every function: say it once.
  return [...new Set(parts.map((p) => p.trimEnd()))].join('\n');
}
