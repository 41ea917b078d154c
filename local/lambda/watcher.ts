/** Watches source directories recursively and reports a burst of changes once, after a quiet period. */
import { watch, readdirSync, type FSWatcher } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const IGNORED = new Set(['node_modules', '.git', '.aws-sam', 'dist', 'coverage']);
/** Changes to other files (docs, editor swap files) do not trigger a rebuild; directories do. */
const SOURCE = new Set(['', '.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.json']);

export interface DirectoryWatcher {
  close(): void;
}

export function watchDirectories(
  directories: string[],
  debounceMs: number,
  onChange: () => void,
  onError: (error: Error) => void,
): DirectoryWatcher {
  let timer: NodeJS.Timeout | undefined;
  const changed = (filename: string | null): void => {
    if (filename && (filename.split(/[\\/]/).some((part) => IGNORED.has(part)) || !SOURCE.has(extname(filename)))) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watchers = directories.flatMap((directory) => watchTree(directory, changed, onError));
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** fs.watch recursive (Linux since Node 20, macOS, Windows); else one watcher per directory. */
function watchTree(root: string, changed: (filename: string | null) => void, onError: (error: Error) => void): FSWatcher[] {
  try {
    const watcher = watch(root, { recursive: true }, (_event, filename) => changed(filename));
    watcher.on('error', onError);
    return [watcher];
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM') throw error;
  }
  return directoriesOf(root).map((directory) => {
    const watcher = watch(directory, (_event, filename) => changed(filename ? relative(root, join(directory, filename)) : null));
    watcher.on('error', onError);
    return watcher;
  });
}

function directoriesOf(root: string): string[] {
  const found = [root];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && !IGNORED.has(entry.name)) found.push(...directoriesOf(root + sep + entry.name));
  }
  return found;
}
