/**
 * `roomcast dev` (and `npm start`): starts the local cloud, prints the start-up screen and
 * the `ready` line, and stops everything on Ctrl-C (SIGINT), SIGTERM or SIGHUP. A wrong
 * command line is one line on stderr and exit 2, as with every roomcast command.
 */
import { readyLine, startLocalCloud, startupScreen, type LocalCloud } from '@roomcast/local';
import { DEV_USAGE, parseDevArgs } from './dev-options.js';
import { failureOf } from './errors.js';

/** Longest orderly shutdown before the process exits anyway (its exit hook kills the JVM). */
const STOP_DEADLINE_MS = 10_000;

export async function main(argv: string[]): Promise<void> {
  let options;
  try {
    options = parseDevArgs(argv);
  } catch (error) {
    const { code, line } = failureOf('dev', error);
    process.stderr.write(line);
    process.exit(code);
  }
  if (options === 'help') {
    process.stdout.write(DEV_USAGE);
    return;
  }
  let cloud: LocalCloud | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the local cloud...\n`);
    const deadline = setTimeout(() => {
      process.stderr.write('the local cloud did not stop in time: exiting\n');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    void (cloud?.stop() ?? Promise.resolve()).then(() => {
      process.stderr.write('stopped\n');
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  process.stdout.on('error', () => undefined); // a closed pipe must not bring the cloud down

  try {
    cloud = await startLocalCloud(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = /EADDRINUSE/.test(message) ? '\n(another program uses that port: choose others with --port N, or --port 0 for free ones)' : '';
    // Not folded into one line: a build error or DynamoDB Local's output reads better as it came.
    process.stderr.write(`roomcast dev: cannot start the local cloud: ${message}${hint}\n`);
    process.exit(1);
  }
  if (stopping) return; // a signal came during start-up; stop() is under way
  const regions = cloud.regions.map((region) => region.info);
  process.stdout.write(`${startupScreen(cloud.info, cloud.startedInMs, regions)}\n${readyLine(cloud.info, regions)}\n`);
}
