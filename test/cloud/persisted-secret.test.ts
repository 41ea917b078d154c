import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devSecret } from '../../local/cloud/persisted-secret.js';

describe('the dev-token secret', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is new on every start without --persist', () => {
    expect(devSecret(undefined)).not.toBe(devSecret(undefined));
  });

  it('is kept in the --persist folder, readable by its owner only, so tokens outlive a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'roomcast-persist-'));
    dirs.push(dir);
    const folder = join(dir, 'data');
    const first = devSecret(folder);
    expect(devSecret(folder)).toBe(first);
    expect(readFileSync(join(folder, 'roomcast-dev-secret'), 'utf8').trim()).toBe(first);
    expect(statSync(join(folder, 'roomcast-dev-secret')).mode & 0o077).toBe(0);
  });
});
