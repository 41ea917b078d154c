/** The SAM applications of test/fixtures/apps/, each run on a local cloud from a copy outside the repository. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { LocalCloud } from '../../local/cloud.js';
import { startCloud } from './support.js';

const APPS = fileURLToPath(new URL('../fixtures/apps/', import.meta.url));

/**
 * Copies an application out of the repository (so that nothing resolves from its packages
 * but what Lambda's runtime provides) and runs it for this test file.
 */
export function appCloud(name: string, parameterOverrides: Record<string, string> = {}): () => LocalCloud {
  let dir = '';
  let cloud: LocalCloud | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `${name}-`));
    await cp(join(APPS, name), dir, { recursive: true });
    cloud = await startCloud({ template: join(dir, 'template.yaml'), parameterOverrides });
  });
  afterAll(async () => {
    await cloud?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => cloud!;
}

