import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../local/cloud.js';

const saved = process.env.JAVA_HOME;
afterEach(() => {
  if (saved === undefined) delete process.env.JAVA_HOME;
  else process.env.JAVA_HOME = saved;
});

describe('a local cloud that cannot start', () => {
  it('rejects with one clear message when Java is missing, having stopped what it started', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'roomcast-no-java-'));
    process.env.JAVA_HOME = empty;
    const lines: string[] = [];
    try {
      await expect(startLocalCloud({ port: 0, samconfig: false, watch: false, log: (line) => lines.push(line), functionLog: () => undefined })).rejects.toThrow(
        /DynamoDB Local needs a Java runtime \(17 or newer\)/,
      );
      expect(lines.filter((line) => line.startsWith('stopping'))).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('says which template is missing', async () => {
    await expect(startLocalCloud({ template: 'no-such-template.yaml' })).rejects.toThrow(/no template at .*no-such-template\.yaml/);
  });
});
