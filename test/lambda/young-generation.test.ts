/**
 * A function environment's young generation is capped (YOUNG_GENERATION_MB): a burst of
 * environments that allocate does not each grow V8's new space to tens of MB.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLambdaRuntime } from '../../local/lambda/index.js';
import { YOUNG_GENERATION_MB } from '../../local/lambda/worker-handle.js';
import { captureLogs } from './helpers.js';

const ALLOCATING = `
import v8 from 'node:v8';
export const handler = async () => {
  let keep = [];
  // Short-lived garbage, a few MB at a time: what V8 sizes its new space by.
  for (let round = 0; round < 200; round += 1) {
    keep = Array.from({ length: 20000 }, (_, i) => ({ i, text: 'x' + i }));
  }
  const space = v8.getHeapSpaceStatistics().find((item) => item.space_name === 'new_space');
  return { newSpaceBytes: space.space_size, kept: keep.length };
};`;

describe("a function environment's young generation", () => {
  it(`stays within ${YOUNG_GENERATION_MB} MB while the function allocates`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'young-'));
    try {
      const entry = join(dir, 'index.mjs');
      await writeFile(entry, ALLOCATING);
      const runtime = await createLambdaRuntime([{ id: 'Alloc', entry, handler: 'handler', environment: {}, timeoutSeconds: 30, memoryMb: 512 }], { log: captureLogs().log });
      try {
        const { newSpaceBytes } = (await runtime.invoke('Alloc', {})) as { newSpaceBytes: number };
        expect(newSpaceBytes).toBeGreaterThan(0);
        expect(newSpaceBytes).toBeLessThanOrEqual(YOUNG_GENERATION_MB * 1024 * 1024);
      } finally {
        await runtime.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
