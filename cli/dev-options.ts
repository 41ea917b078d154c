/** `roomcast dev` options: the command line as LocalCloudOptions, read as every roomcast command reads its own. */
import {
  DEFAULT_PORT,
  DEFAULT_REPLICATION_DELAY_MS,
  parseParameterOverrides,
  POST_FAULT_STATUSES,
  postFaultStatusList,
  regionListProblem,
  type FaultRequest,
  type LocalCloudOptions,
} from '@roomcast/local';
import { HELP_OPTION, numberOption, optionsOf, parseCommandLine, wantsHelp } from './args.js';
import { UsageError } from './errors.js';

export const DEV_USAGE = `usage: roomcast dev [options]      (npm start runs it with none)

Runs template.yaml on this machine: DynamoDB Local, an SQS emulator, the functions, the
WebSocket gateway, the HTTP API and a console. Ctrl-C stops everything.

  --port N                    first port (default ${DEFAULT_PORT}): WebSocket gateway and @connections N,
                              HTTP API N+1, console N+2, DynamoDB N+3, SQS N+4; 0: free ports
  --host ADDRESS              address to listen on (default 127.0.0.1)
  --persist DIR               keep DynamoDB data in DIR between runs (default: in memory)
  --show-metrics              print the functions' metric (EMF) lines too (they are always counted: /metrics)
  --parameter-overrides "K=V K2=V2"
                              template parameters (win over samconfig.toml's parameter_overrides)
  --template FILE             default template.yaml
  --stack-name NAME           prefix of table and queue names (default samconfig's stack_name)
  --region REGION             default samconfig's region, else us-east-1
  --regions R1,R2,...         several regions on this machine, each with its own gateway, HTTP API,
                              console, tables, queues and functions, the global tables replicated
                              between them; region k (from 0) takes ports N+5k..N+5k+2
  --replication-delay MS      with --regions: a change reaches the other regions this long after
                              it is read (default ${DEFAULT_REPLICATION_DELAY_MS})
  --no-watch                  do not reload functions when functions/ or layers/ change
  --idle-timeout SECONDS      close sockets idle this long (default 600, as API Gateway)
  --max-duration SECONDS      close sockets this long after they opened (default 7200)
  --serialize-messages        handle the messages of one connection one at a time, in order (for
                              debugging; API Gateway, and by default the local gateway, dispatches
                              each as it arrives, so they run at once and answer as they finish)
  --ttl-interval SECONDS      delete expired items of tables with TTL this often (default 60);
                              0: only when asked (POST /_roomcast/ttl)
  --fault-post-status ${POST_FAULT_STATUSES.join('|')}
                              answer PostToConnection calls with this status instead of delivering
  --fault-post-share 0..1     share of posts affected (default 1)
  --fault-post-count N        affect only N posts
  --fault-post-delay-ms MS    slow every post down
  --fault-drop-disconnect     never run $disconnect
  -h, --help                  this help

exit: 0 stopped by Ctrl-C, SIGTERM or SIGHUP, 1 could not start (or stop within 10 s),
2 wrong command line, 130 a second Ctrl-C
`;

/** The options that take a number (of 0 or more). */
const NUMBERS = ['port', 'replication-delay', 'idle-timeout', 'max-duration', 'ttl-interval', 'fault-post-share', 'fault-post-count', 'fault-post-delay-ms'] as const;
const VALUED = ['host', 'persist', 'parameter-overrides', 'template', 'stack-name', 'region', 'regions', 'fault-post-status', ...NUMBERS] as const;
const OPTIONS = { ...HELP_OPTION, ...optionsOf(VALUED, ['show-metrics', 'no-watch', 'serialize-messages', 'fault-drop-disconnect']) };

/** The options, or 'help' when `-h`/`--help` comes before any `--`; throws UsageError. */
export function parseDevArgs(argv: string[]): LocalCloudOptions | 'help' {
  if (wantsHelp(argv)) return 'help';
  const { values } = parseCommandLine(argv, OPTIONS, { names: [] });
  const number = (flag: (typeof NUMBERS)[number], max?: number): number | undefined => numberOption(values[flag], flag, 0, max);
  const regions = regionList(values.regions, values.region);
  const replicationDelay = number('replication-delay');
  if (replicationDelay !== undefined && (regions?.length ?? 1) < 2) throw new UsageError('--replication-delay needs --regions with two or more regions');
  // The last port taken: SQS at N+4, or the last region's console at N+5k+2.
  const port = number('port', 65_535 - Math.max(4, 5 * ((regions?.length ?? 1) - 1) + 2));
  const idle = number('idle-timeout');
  const maxDuration = number('max-duration');
  const ttlInterval = number('ttl-interval');
  const limits = { ...(idle === undefined ? {} : { idleTimeoutMs: idle * 1000 }), ...(maxDuration === undefined ? {} : { maxDurationMs: maxDuration * 1000 }) };
  const faults = faultOptions(values['fault-post-status'], number('fault-post-share', 1), number('fault-post-count'), number('fault-post-delay-ms'), values['fault-drop-disconnect']);
  return {
    ...(port === undefined ? {} : { port }),
    ...(values.host ? { host: values.host } : {}),
    ...(values.persist ? { persistDir: values.persist } : {}),
    ...(values['show-metrics'] ? { showMetrics: true } : {}),
    ...(values['parameter-overrides'] ? { parameterOverrides: parameterOverrides(values['parameter-overrides']) } : {}),
    ...(values.template ? { template: values.template } : {}),
    ...(values['stack-name'] ? { stackName: values['stack-name'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(regions ? { regions } : {}),
    ...(replicationDelay === undefined ? {} : { replicationDelayMs: replicationDelay }),
    ...(values['no-watch'] ? { watch: false } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(values['serialize-messages'] ? { serializeMessages: true } : {}),
    ...(ttlInterval === undefined ? {} : { ttlIntervalMs: ttlInterval * 1000 }),
    ...(faults ? { faults } : {}),
  };
}

function parameterOverrides(text: string): Record<string, string> {
  try {
    return parseParameterOverrides(text);
  } catch (error) {
    throw new UsageError(`--parameter-overrides: ${(error as Error).message}`);
  }
}

function regionList(list: string | undefined, region: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  if (region !== undefined) throw new UsageError('--region and --regions: give one of them (the first of --regions is the main region)');
  const regions = list.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const problem = regionListProblem(regions);
  if (problem) throw new UsageError(`--regions: ${problem}`);
  return regions;
}

function faultOptions(status: string | undefined, share?: number, count?: number, delayMs?: number, dropDisconnect?: boolean): FaultRequest | undefined {
  const faults: FaultRequest = {};
  if (status !== undefined) {
    const code = POST_FAULT_STATUSES.find((known) => String(known) === status);
    if (code === undefined) throw new UsageError(`--fault-post-status must be ${postFaultStatusList()}, got ${JSON.stringify(status)}`);
    faults.post = { status: code, share: share ?? 1, ...(count === undefined ? {} : { count }) };
  } else if (share !== undefined || count !== undefined) {
    throw new UsageError('--fault-post-share and --fault-post-count need --fault-post-status');
  }
  if (delayMs !== undefined) faults.postDelayMs = delayMs;
  if (dropDisconnect) faults.dropDisconnect = true;
  return Object.keys(faults).length > 0 ? faults : undefined;
}
