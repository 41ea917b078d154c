import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/services/index.js';

const saved = process.env.JAVA_HOME;
const made: string[] = [];
afterEach(async () => {
  if (saved === undefined) delete process.env.JAVA_HOME;
  else process.env.JAVA_HOME = saved;
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A JAVA_HOME whose `bin/java` runs `script` (or none at all). */
async function javaHome(script?: string): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'roomcast-java-'));
  made.push(home);
  if (script !== undefined) {
    await mkdir(join(home, 'bin'));
    await writeFile(join(home, 'bin', 'java'), `#!/bin/sh\n${script}\n`);
    await chmod(join(home, 'bin', 'java'), 0o755);
  }
  return home;
}

describe('starting DynamoDB Local without a usable Java', () => {
  it('says how to install Java when there is none', async () => {
    process.env.JAVA_HOME = await javaHome();
    const failure = startDynamoDbLocal({ timeoutMs: 5000 });
    await expect(failure).rejects.toThrow(/needs a Java runtime \(17 or newer\).*apt-get install openjdk-17-jre-headless.*brew install openjdk@17/s);
  });

  it('says Java is too old when the jar needs a newer one', async () => {
    process.env.JAVA_HOME = await javaHome(
      'echo "Error: LinkageError occurred while loading main class com.amazonaws.services.dynamodbv2.local.main.ServerRunner" >&2\n' +
        'echo "java.lang.UnsupportedClassVersionError: compiled by a more recent version of the Java Runtime (class file version 61.0)" >&2\nexit 1',
    );
    await expect(startDynamoDbLocal({ timeoutMs: 5000 })).rejects.toThrow(/needs Java 17 or newer, and the `java` found is older/);
  });
});
