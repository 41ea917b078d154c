/** What `startLocalCloud` takes, and what it answers with once everything runs. */
import type { ApplicationInfo } from './application.js';
import type { FaultSettings, GatewayLimits } from '../gateway/index.js';
import type { OutputStream } from '../lambda/index.js';

/** The first port when none is given: gateway N, HTTP API N+1, console N+2, DynamoDB N+3, SQS N+4. */
export const DEFAULT_PORT = 4510;

/** With several regions: the replication delay when none is given. */
export const DEFAULT_REPLICATION_DELAY_MS = 50;

/** The local account's credentials: functions sign with them, the APIs verify them. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'AKIAROOMCASTLOCAL000', secretAccessKey: 'roomcast-local-secret' } as const;

/** A fault request, as the control endpoint and the command line take it. */
export interface FaultRequest {
  post?: { status: 410 | 429 | 500; share?: number; count?: number };
  postDelayMs?: number;
  /**
   * Make a function's next `count` invocations fail (logical id, physical name or code
   * folder); with `afterMs`, they run and their environment crashes that long after they started.
   */
  failFunction?: { name: string; count?: number; afterMs?: number };
  dropSockets?: boolean;
  dropDisconnect?: boolean;
  /** The region's gateway is down: its sockets dropped, handshakes refused (503) until cleared. */
  down?: boolean;
  /** With several regions: this region's changes reach the others this long after they are read (clear: back to the default). */
  replicationDelayMs?: number;
}

export interface LocalCloudOptions {
  /** Default `template.yaml` in the current folder. */
  template?: string;
  /** Default `samconfig.toml` next to the template; false: do not read one. */
  samconfig?: string | false;
  /** Win over everything else (the command line's `--parameter-overrides`). */
  parameterOverrides?: Record<string, string>;
  /** Default samconfig's `stack_name`, else `roomcast`. */
  stackName?: string;
  /** Default samconfig's `region`, else `us-east-1`. */
  region?: string;
  /**
   * Several regions on this machine (the first one wins over `region`): each with its own
   * gateway, HTTP API, console, tables, queues and functions; the global tables replicated
   * between them. See docs/local.md.
   */
  regions?: string[];
  /** With several regions: a change reaches the other regions this long after it is read. Default 50. */
  replicationDelayMs?: number;
  /** Address the servers listen on. Default 127.0.0.1. */
  host?: string;
  /** First port (see DEFAULT_PORT); 0: free ports for everything. */
  port?: number;
  /** Keep DynamoDB data in this folder between runs (`-dbPath`). */
  persistDir?: string;
  /** Use these running services instead of starting DynamoDB Local and the SQS emulator. */
  services?: { dynamodb: string; sqs: string };
  /** Delete the tables and queues on stop (default: only when `services` were given). */
  deleteResources?: boolean;
  /** Reload functions when files under functions/ or layers/ change. Default true. */
  watch?: boolean;
  /** Gateway limits (idle timeout, maximum duration, rates...), API Gateway's by default. */
  limits?: Partial<GatewayLimits>;
  /**
   * Handle the messages of one connection one at a time, in order (for debugging). Default
   * false: as on API Gateway, each message is dispatched as soon as it arrives, so the
   * invocations of one connection run at once and answer in the order they finish.
   */
  serializeMessages?: boolean;
  /**
   * Delete expired items of the tables whose template enables TTL this often (DynamoDB
   * Local never does); 0: only when asked (`cloud.ttl.sweep()`, `POST /_roomcast/ttl`). Default 60000.
   */
  ttlIntervalMs?: number;
  /** Faults in force from the start. */
  faults?: FaultRequest;
  /** Extra environment per function (by logical id), after everything else. */
  functionEnv?: Record<string, Record<string, string>>;
  /** The HS256 secret of dev tokens; default a fresh random one. */
  jwtSecret?: string;
  /** The cloud's own lines (start-up, warnings, gateway and HTTP API). Default: stderr. */
  log?(line: string): void;
  /** Every line a function writes. Default: printed with the function's name. */
  functionLog?(fn: string, line: string, stream?: OutputStream): void;
  /** Print the functions' metric (EMF) lines too; they are always counted. Default false. */
  showMetrics?: boolean;
}

/** What the `ready` line carries (and `GET /_roomcast/info` answers). */
export interface CloudInfo {
  stackName: string;
  region: string;
  stage: string;
  wsUrl: string;
  publishUrl: string;
  connectionsUrl: string;
  consoleUrl: string;
  controlUrl: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A dev token (sub `dev`, every room, 24 h); empty when the template verifies tokens with a JWKS. */
  token: string;
  tokenExpiresAt: string;
  /** The stack's outputs, with the local URLs. */
  outputs: Record<string, string>;
  /** The application that runs: its APIs, routes, tables and queues. */
  application: ApplicationInfo;
  pids: { node: number; dynamodb?: number };
}

export type { FaultSettings };
