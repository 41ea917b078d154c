/**
 * `node --import ./bin/ts-register.mjs bench/profile-summary.ts DIR [--top N] [--by package|function]`:
 * where the CPU went in the V8 CPU profiles (.cpuprofile) of a directory, such as the ones
 * `roomcast bench --cpu-prof DIR` writes for the local cloud's main thread and for each of
 * its function environments. Self time is summed over all files and grouped by package
 * (node_modules/<name>, node:internal, the bundles) or by function; the top groups print
 * with their share.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export type Grouping = 'package' | 'function';

/** Self time in microseconds per group, over one profile. */
export function selfTimes(profile: Profile, by: Grouping): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = by === 'package' ? packageOf(node.callFrame.url, node.callFrame.functionName) : functionOf(node);
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return times;
}

/** `@smithy/core`, `node:internal/...`, a bundle's name, or V8's own entries such as (garbage collector). */
export function packageOf(url: string, functionName: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'anonymous'})`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? url);
  }
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url.split('/').pop()?.replace(/\.\d+\.mjs$/, '') ?? url;
}

function functionOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${packageOf(url, functionName)}:${lineNumber + 1}`;
}

async function main(): Promise<void> {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir) throw new Error('usage: profile-summary.ts DIR [--top N] [--by package|function]');
  const top = Number(rest[rest.indexOf('--top') + 1] ?? 25) || 25;
  const by: Grouping = rest.includes('function') ? 'function' : 'package';
  const files = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile'));
  const total = new Map<string, number>();
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as Profile;
    for (const [key, us] of selfTimes(profile, by)) total.set(key, (total.get(key) ?? 0) + us);
  }
  const sum = [...total.values()].reduce((a, b) => a + b, 0);
  const busy = [...total].filter(([key]) => key !== '(idle)').reduce((a, [, us]) => a + us, 0);
  console.log(`${files.length} profiles, ${(sum / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s not idle`);
  for (const [key, us] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1e3).toFixed(0).padStart(9)} ms  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${key}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
