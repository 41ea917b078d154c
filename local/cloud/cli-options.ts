/** `roomcast dev` options: the command line as LocalCloudOptions. */
import { parseArgs } from 'node:util';
import { parseParameterOverrides } from '../template/index.js';
import { DEFAULT_PORT, DEFAULT_REPLICATION_DELAY_MS, type FaultRequest, type LocalCloudOptions } from './options.js';
import { regionListProblem } from './settings.js';

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
  --ttl-interval SECONDS      delete expired items of tables with TTL this often (default 60);
                              0: only when asked (POST /_roomcast/ttl)
  --fault-post-status 410|429|500
                              answer PostToConnection calls with this status instead of delivering
  --fault-post-share 0..1     share of posts affected (default 1)
  --fault-post-count N        affect only N posts
  --fault-post-delay-ms MS    slow every post down
  --fault-drop-disconnect     never run $disconnect
  -h, --help                  this help
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseDevArgs(argv: string[]): LocalCloudOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        persist: { type: 'string' },
        'show-metrics': { type: 'boolean' },
        'parameter-overrides': { type: 'string' },
        template: { type: 'string' },
        'stack-name': { type: 'string' },
        region: { type: 'string' },
        regions: { type: 'string' },
        'replication-delay': { type: 'string' },
        'no-watch': { type: 'boolean' },
        'idle-timeout': { type: 'string' },
        'max-duration': { type: 'string' },
        'ttl-interval': { type: 'string' },
        'fault-post-status': { type: 'string' },
        'fault-post-share': { type: 'string' },
        'fault-post-count': { type: 'string' },
        'fault-post-delay-ms': { type: 'string' },
        'fault-drop-disconnect': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const number = (name: keyof typeof values, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const raw = values[name];
    if (raw === undefined || typeof raw !== 'string') return undefined;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > max) throw new UsageError(`--${name} must be a number from 0 to ${max}, got ${JSON.stringify(raw)}`);
    return value;
  };
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
    ...(values['parameter-overrides'] ? { parameterOverrides: parseParameterOverrides(values['parameter-overrides']) } : {}),
    ...(values.template ? { template: values.template } : {}),
    ...(values['stack-name'] ? { stackName: values['stack-name'] } : {}),
    ...(values.region ? { region: values.region } : {}),
    ...(regions ? { regions } : {}),
    ...(replicationDelay === undefined ? {} : { replicationDelayMs: replicationDelay }),
    ...(values['no-watch'] ? { watch: false } : {}),
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    ...(ttlInterval === undefined ? {} : { ttlIntervalMs: ttlInterval * 1000 }),
    ...(faults ? { faults } : {}),
  };
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
    if (status !== '410' && status !== '429' && status !== '500') throw new UsageError('--fault-post-status must be 410, 429 or 500');
    faults.post = { status: Number(status) as 410 | 429 | 500, share: share ?? 1, ...(count === undefined ? {} : { count }) };
  } else if (share !== undefined || count !== undefined) {
    throw new UsageError('--fault-post-share and --fault-post-count need --fault-post-status');
  }
  if (delayMs !== undefined) faults.postDelayMs = delayMs;
  if (dropDisconnect) faults.dropDisconnect = true;
  return Object.keys(faults).length > 0 ? faults : undefined;
}
