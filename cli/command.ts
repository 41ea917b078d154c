/**
 * What every command is (a parser and a runner) and how it runs: help on stdout, data on
 * stdout, progress and the one-line error on stderr, and the exit code.
 */
import { wantsHelp } from './args.js';
import { EXIT, failureOf } from './errors.js';

/** 130: stopped by Ctrl-C before the work was done (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

export type Env = Readonly<Record<string, string | undefined>>;

export interface Context {
  /** One line of data on stdout. */
  out(line: string): void;
  /** One line of progress on stderr, after `roomcast <command>: `. */
  note(line: string): void;
  readStdin(): Promise<string>;
  env: Env;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
}

export interface Command<P> {
  name: string;
  /** The whole `--help` text. */
  usage: string;
  /** The command line as the runner's input; throws UsageError. */
  parse(argv: string[], env: Env): P;
  run(parsed: P, context: Context): Promise<void>;
}

export interface Streams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  readStdin(): Promise<string>;
  env: Env;
  signal: AbortSignal;
}

/** Runs a command and answers its exit code; never throws. */
export async function execute<P>(command: Command<P>, argv: string[], streams: Streams): Promise<number> {
  const prefix = `roomcast ${command.name}: `;
  if (wantsHelp(argv)) {
    streams.stdout.write(command.usage);
    return EXIT.ok;
  }
  const context: Context = {
    out: (line) => void streams.stdout.write(`${line}\n`),
    note: (line) => void streams.stderr.write(`${prefix}${line}\n`),
    readStdin: streams.readStdin,
    env: streams.env,
    signal: streams.signal,
  };
  try {
    await command.run(command.parse(argv, streams.env), context);
    return EXIT.ok;
  } catch (error) {
    if (streams.signal.aborted) return EXIT_INTERRUPTED;
    const { code, line } = failureOf(command.name, error);
    streams.stderr.write(line);
    return code;
  }
}

function readProcessStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.once('error', reject);
  });
}

/** The process around a command: Ctrl-C, a closed stdout (`| head`), and the exit. */
export async function runMain<P>(command: Command<P>, argv: string[]): Promise<never> {
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(EXIT_INTERRUPTED);
    interrupt.abort();
  });
  // A reader that went away (`roomcast tail room | head -1`) has all it wanted.
  process.stdout.on('error', () => process.exit(EXIT.ok));
  const code = await execute(command, argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: readProcessStdin,
    env: process.env,
    signal: interrupt.signal,
  });
  // Open sockets (a keep-alive, a closing WebSocket) must not hold the exit back.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
