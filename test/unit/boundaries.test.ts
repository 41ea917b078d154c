/**
 * The packages' boundaries, read from the sources (no services): the local cloud uses the
 * product only through `@roomcast/core`'s public index and the clients only through
 * `@roomcast/client`; the clients need nothing outside client/ (users install them); the
 * `roomcast` command does not reach into the benchmarks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE = /\.(c|m)?(ts|js)$/;
const CHECKED = ['local', 'client', 'cli'] as const;

/** The source files under a folder of the repository, as paths from its root with `/`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(file);
    return SOURCE.test(entry.name) ? [file] : [];
  });
}

/** Every module a file names: static imports and re-exports (type-only ones too) and `import()`. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName);
}

/** Where a relative import lands, from the repository's root; undefined for a package or built-in. */
function targetOf(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
}

const within = (target: string | undefined, dir: string): boolean => target !== undefined && (target === dir || target.startsWith(`${dir}/`));

/** Why `file` must not import `specifier`; undefined when it may. */
function boundaryProblem(file: string, specifier: string): string | undefined {
  const target = targetOf(file, specifier);
  const area = file.split('/')[0];
  if (area === 'local') {
    if (within(target, 'layers/core/src') || /^@roomcast\/core\/./.test(specifier)) return "reaches into the core's files: import '@roomcast/core'";
    if (target !== undefined && !within(target, 'local')) return 'leaves local/: import a package (@roomcast/core, @roomcast/client/...)';
  }
  if (area === 'client') {
    if (target !== undefined && !within(target, 'client')) return 'leaves client/: the clients are installed on their own';
    if (/^@roomcast\//.test(specifier) && !/^@roomcast\/client(\/|$)/.test(specifier)) return 'needs another roomcast package: the clients are installed on their own';
  }
  if (area === 'cli' && (within(target, 'bench') || /^@roomcast\/bench(\/|$)/.test(specifier))) return 'reaches into bench/';
  return undefined;
}

describe('package boundaries', () => {
  it('holds for every source file of local/, client/ and cli/', () => {
    const problems = CHECKED.flatMap((dir) => sourceFiles(dir)).flatMap((file) =>
      importsOf(file).flatMap((specifier) => {
        const problem = boundaryProblem(file, specifier);
        return problem ? [`${file} imports '${specifier}': ${problem}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('reads the files it checks', () => {
    expect(sourceFiles('local')).toContain('local/index.ts');
    expect(importsOf('local/console/publish.ts')).toContain('@roomcast/client/publisher');
  });

  it('refuses a relative import leaving local/, and any path into the core', () => {
    expect(boundaryProblem('local/cloud/region.ts', '../../cli/args.js')).toMatch(/leaves local/);
    expect(boundaryProblem('local/http-api/sign.ts', '../../client/publisher/sign.js')).toMatch(/leaves local/);
    expect(boundaryProblem('local/cloud.ts', '../layers/core/src/index.js')).toMatch(/core's files/);
    expect(boundaryProblem('local/cloud.ts', '@roomcast/core/src/model/backoff.js')).toMatch(/core's files/);
    expect(boundaryProblem('local/cloud/region.ts', '../gateway/index.js')).toBeUndefined();
    expect(boundaryProblem('local/cloud.ts', '@roomcast/core')).toBeUndefined();
    expect(boundaryProblem('local/console/publish.ts', '@roomcast/client/publisher')).toBeUndefined();
  });

  it('refuses a client import outside client/, and cli/ importing bench/', () => {
    expect(boundaryProblem('client/sdk/backoff.ts', '../../layers/core/src/model/backoff.js')).toMatch(/leaves client/);
    expect(boundaryProblem('client/publisher/index.ts', '@roomcast/core')).toMatch(/another roomcast package/);
    expect(boundaryProblem('client/publisher/backoff.ts', '../sdk/backoff.js')).toBeUndefined();
    expect(boundaryProblem('cli/dev.ts', '../bench/command.js')).toMatch(/bench/);
    expect(boundaryProblem('cli/dev.ts', '@roomcast/local')).toBeUndefined();
  });
});
