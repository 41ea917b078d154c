/** `roomcast bench`: end to end against a raw ws broadcast, conflation, a subscribe storm, fan-out cost; writes bench/results/<name>.*. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBench } from './bench-run.js';
import type { BenchSettings } from './report.js';
import { RESULTS_DIR, writeResults } from './results.js';
import { externalSource, ownCloudSource, type TargetSource } from './targets.js';
import { parseParameterOverrides } from '@roomcast/local';
import { HELP_OPTION, integerOption, listOption, parseCommandLine } from '../cli/args.js';
import { EXIT_INTERRUPTED, runMain, type Command, type Context } from '../cli/command.js';
import { UsageError } from '../cli/errors.js';
import { localInfo } from '../cli/local-cloud.js';
import { resolveTarget } from '../cli/target.js';
import { TARGET_OPTIONS, TARGET_USAGE, targetRequest, type TargetRequest } from '../cli/target-options.js';

const USAGE = `usage: roomcast bench [--name NAME] [sizes and phases] [where]

Measures the pipeline end to end with N subscribers (raw protocol sockets, and SDK clients
at --sdk-sizes) beside a raw \`ws\` broadcast server on this machine, measured with the same
clients and publisher; then conflation under a post delay, a subscribe storm, the fan-out
cost accounting and the makespan model. Latency is receive time minus publish time, both
read by this process. Progress goes to stderr; the files bench/results/NAME.json, NAME.md
and NAME.svg are written at the end.

  --name NAME                 the files' name (default latest)
  --out DIR                   where to write them (default bench/results)
  --sizes N,N,...             subscriber counts, raw sockets (default 100,1000,5000)
  --sdk-sizes N,...           subscriber counts measured with SDK clients too (default 1000; 0: none)
  --room-size N               subscribers per room in the steady phase (default 10): N subscribers
                              are in N/10 rooms, and each publish reaches 10 of them
  --rate P                    publishes a second in the steady phase (default 10)
  --messages N                publishes of the steady phase (default 100)
  --broadcast-deliveries N    the broadcast phase: publishes to a room of all N subscribers,
                              N/size of them (default 20000; 0: none)
  --broadcast-window N        the next broadcast goes out once fewer than N are still being
                              delivered (default 1: one at a time, deliveries/s = N / makespan)
  --message-bytes B           bytes of each message's data (default 256)
  --no-baseline               skip the raw ws broadcast
  --conflation-subscribers N  the conflation phase: N raw sockets in a conflated room and in a
                              plain one (default 200; 0: none)
  --conflation-messages N     publishes to each of the two rooms (default 120)
  --conflation-rate P         publishes a second, to each room in turn (default 10)
  --conflation-post-delay-ms MS
                              every post to a socket is delayed this long while the phase
                              publishes (the local cloud's post-delay fault; default 1000)
  --storm N                   subscribes of the subscribe storm (default 2000; 0: none)
  --storm-window-ms MS        the storm's subscribes are spread over this long (default 1000)
  --snapshot N                messages per snapshot in the storm, and published first (default 20)
  --fanout-sizes N,...        room sizes of the fan-out cost accounting (default 1,100,1000 for the
                              local cloud the benchmark starts, none otherwise; 0: none)
  --no-makespan               skip the makespan model
  --open-rate N               new sockets a second to the pipeline (default 400; API Gateway
                              takes 500 a second per account)
  --quiet-ms MS               a phase ends once nothing arrived this long (default 15000)
  --drain-ms MS               at the end, what is missing is waited for this long at most
                              (default 200000: a failed delivery job comes back after the
                              queue's 180 s visibility timeout); then it counts as lost
  --parameter-overrides "K=V" template parameters of the local cloud the benchmark starts
  --cpu-prof DIR              write CPU profiles of each local cloud to DIR: its main thread's and
                              each function environment's (node --cpu-prof; open them in
                              Chrome's DevTools, or summarise them with bench/profile-summary.ts)
  --token JWT                 the token for ?token= of a deployed stage (rooms bench:*)

where (default: a fresh local cloud per measurement, started by the benchmark from
template.yaml, with DynamoDB Local; --local-port: the running one of \`npm start\`):
${TARGET_USAGE}
examples:
  npm run bench
  roomcast bench --sizes 100 --sdk-sizes 0 --storm 200 --name quick
  roomcast bench --stack roomcast --token "$(roomcast token --sub bench --rooms 'bench:*' --secret "$SECRET")"

exit: 0 written, 1 a measurement failed, 2 wrong command line
`;

const OPTIONS = {
  ...HELP_OPTION,
  ...TARGET_OPTIONS,
  name: { type: 'string' },
  out: { type: 'string' },
  sizes: { type: 'string' },
  'sdk-sizes': { type: 'string' },
  'room-size': { type: 'string' },
  rate: { type: 'string' },
  messages: { type: 'string' },
  'broadcast-deliveries': { type: 'string' },
  'broadcast-window': { type: 'string' },
  'message-bytes': { type: 'string' },
  'no-baseline': { type: 'boolean' },
  'conflation-subscribers': { type: 'string' },
  'conflation-messages': { type: 'string' },
  'conflation-rate': { type: 'string' },
  'conflation-post-delay-ms': { type: 'string' },
  storm: { type: 'string' },
  'storm-window-ms': { type: 'string' },
  snapshot: { type: 'string' },
  'fanout-sizes': { type: 'string' },
  'no-makespan': { type: 'boolean' },
  'open-rate': { type: 'string' },
  'quiet-ms': { type: 'string' },
  'drain-ms': { type: 'string' },
  'parameter-overrides': { type: 'string' },
  'cpu-prof': { type: 'string' },
  token: { type: 'string' },
} as const;

export interface BenchArgs {
  settings: BenchSettings;
  out: string;
  /** Absent: a local cloud the benchmark starts. */
  target?: TargetRequest;
  token?: string;
  parameterOverrides?: Record<string, string>;
  cpuProfileDir?: string;
  command: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Whole numbers separated by commas; "0" alone: none. */
export function sizesOption(raw: string | undefined, flag: string, fallback: number[]): number[] {
  if (raw === undefined) return fallback;
  if (raw.trim() === '0') return [];
  return listOption(raw, flag).map((item) => integerOption(item, flag, 1, 100_000)!);
}

export const benchCommand: Command<BenchArgs> = {
  name: 'bench',
  usage: USAGE,
  parse(argv, env) {
    const { values } = parseCommandLine(argv, OPTIONS, { names: [] });
    const name = values.name ?? 'latest';
    if (!NAME.test(name)) throw new UsageError(`--name must be 1 to 64 letters, digits, ".", "_" or "-", got ${JSON.stringify(name)}`);
    const own = [values.url, values['publish-url'], values.stack, values['local-port']].every((value) => value === undefined) && values.region === undefined;
    const target = own ? undefined : targetRequest(values, 'publish', env);
    if (target?.kind === 'urls' && target.wsUrl === '') throw new UsageError('needs --url too: the benchmark subscribes and publishes');
    for (const flag of ['parameter-overrides', 'cpu-prof'] as const) {
      if (!own && values[flag] !== undefined) throw new UsageError(`--${flag} is for the local cloud the benchmark starts`);
    }
    const storm = integerOption(values.storm, 'storm', 0, 100_000) ?? 2000;
    const snapshot = integerOption(values.snapshot, 'snapshot', 0, 100) ?? 20;
    const conflationSubscribers = integerOption(values['conflation-subscribers'], 'conflation-subscribers', 0, 100_000) ?? 200;
    const conflation = {
      subscribers: conflationSubscribers,
      messages: integerOption(values['conflation-messages'], 'conflation-messages', 1, 100_000) ?? 120,
      rate: integerOption(values['conflation-rate'], 'conflation-rate', 1, 10_000) ?? 10,
      postDelayMs: integerOption(values['conflation-post-delay-ms'], 'conflation-post-delay-ms', 0, 60_000) ?? 1000,
    };
    const settings: BenchSettings = {
      name,
      sizes: sizesOption(values.sizes, 'sizes', [100, 1000, 5000]),
      sdkSizes: sizesOption(values['sdk-sizes'], 'sdk-sizes', [1000]),
      roomSize: integerOption(values['room-size'], 'room-size', 1, 100_000) ?? 10,
      rate: integerOption(values.rate, 'rate', 1, 10_000) ?? 10,
      messages: integerOption(values.messages, 'messages', 1, 100_000) ?? 100,
      broadcastDeliveries: integerOption(values['broadcast-deliveries'], 'broadcast-deliveries', 0, 10_000_000) ?? 20_000,
      broadcastWindow: integerOption(values['broadcast-window'], 'broadcast-window', 1, 1000) ?? 1,
      messageBytes: integerOption(values['message-bytes'], 'message-bytes', 2, 30_000) ?? 256,
      baseline: !values['no-baseline'],
      conflation: conflationSubscribers === 0 ? null : conflation,
      storm: storm === 0 ? null : { subscribers: storm, windowMs: integerOption(values['storm-window-ms'], 'storm-window-ms', 1, 600_000) ?? 1000, snapshot, history: snapshot },
      fanoutSizes: sizesOption(values['fanout-sizes'], 'fanout-sizes', own ? [1, 100, 1000] : []),
      makespan: !values['no-makespan'],
      openPerSecond: integerOption(values['open-rate'], 'open-rate', 1, 100_000) ?? 400,
      quietMs: integerOption(values['quiet-ms'], 'quiet-ms', 100, 600_000) ?? 15_000,
      drainMs: integerOption(values['drain-ms'], 'drain-ms', 100, 3_600_000) ?? 200_000,
    };
    return {
      settings,
      out: values.out ?? fileURLToPath(RESULTS_DIR),
      ...(target ? { target } : {}),
      ...(values.token === undefined ? {} : { token: values.token }),
      ...(values['parameter-overrides'] ? { parameterOverrides: parseParameterOverrides(values['parameter-overrides']) } : {}),
      ...(values['cpu-prof'] ? { cpuProfileDir: resolve(values['cpu-prof']) } : {}),
      command: ['roomcast bench', ...argv].join(' '),
    };
  },
  async run(args, context) {
    // Ctrl-C reaches the helper processes too (one process group): nothing is left to wait for.
    context.signal.addEventListener('abort', () => process.exit(EXIT_INTERRUPTED), { once: true });
    const started = performance.now();
    const progress = (line: string): void => context.note(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
    const source = await sourceOf(args, context);
    let report;
    try {
      report = await runBench({ source, settings: args.settings, command: args.command, progress });
    } finally {
      await source.close();
    }
    const files = await writeResults(report, args.out);
    for (const goal of report.goals) context.out(`${goal.met === null ? '-' : goal.met ? 'met' : 'missed'}: ${goal.name}: ${goal.measured} (goal: ${goal.target})`);
    for (const file of Object.values(files)) context.out(`wrote ${file}`);
  },
};

async function sourceOf(args: BenchArgs, context: Context): Promise<TargetSource> {
  const { target } = args;
  if (!target) {
    return ownCloudSource({
      ...(args.parameterOverrides ? { parameterOverrides: args.parameterOverrides } : {}),
      ...(args.cpuProfileDir ? { cpuProfileDir: args.cpuProfileDir } : {}),
    });
  }
  if (target.kind === 'local') {
    const info = await localInfo(target.port);
    const credentials = { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey };
    return externalSource({ wsUrl: info.wsUrl, publishUrl: info.publishUrl, region: info.region, credentials, local: info, ...(info.token ? { token: info.token } : {}) });
  }
  const resolved = await resolveTarget(target, context);
  return externalSource({
    wsUrl: resolved.wsUrl,
    publishUrl: resolved.publishUrl,
    region: resolved.region,
    ...(resolved.credentials ? { credentials: resolved.credentials } : {}),
    ...(args.token ? { token: args.token } : {}),
  });
}

export const main = (argv: string[]): Promise<never> => runMain(benchCommand, argv);
