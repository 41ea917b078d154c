import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HostCheck } from '../shared/host-check.js';
import type { PostFaultStatus } from './management-errors.js';

/** One route of the WebSocket API: its key, the function behind it, whether it answers. */
export interface GatewayRoute {
  routeKey: string;
  /** The id of the function that the `invoke` callback runs. */
  target: string;
  hasRouteResponse: boolean;
}

/** A REQUEST authorizer, run on `$connect` only. */
export interface GatewayAuthorizer {
  target: string;
  /** e.g. `route.request.querystring.token`, `route.request.header.Auth` */
  identitySources: string[];
}

export interface GatewayLimits {
  /** Largest frame a client may send (API Gateway: 32 KB). */
  frameBytes: number;
  /** Largest message a client may send, and largest @connections POST body (128 KB). */
  messageBytes: number;
  /** Close with 1001 after this long without a data frame in either direction (10 min). */
  idleTimeoutMs: number;
  /** Close with 1001 this long after the connection opened (2 h). */
  maxDurationMs: number;
  /** New connections accepted per second; more are refused with 429 (500). */
  connectRatePerSecond: number;
  /** Refill rate of the request token bucket shared by messages and @connections calls. */
  requestRatePerSecond: number;
  /** Capacity of that token bucket. */
  requestBurst: number;
  /**
   * How long a message route's integration may take before the client is told it timed out
   * (29 s, API Gateway's default and most). The function itself runs on, as on AWS.
   */
  integrationTimeoutMs: number;
}

export interface GatewayCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface GatewayOptions {
  apiId: string;
  stage: string;
  region: string;
  /** e.g. `$request.body.action` */
  routeSelectionExpression: string;
  /** All routes: `$connect`, `$disconnect`, `$default` and custom ones. */
  routes: GatewayRoute[];
  authorizer?: GatewayAuthorizer;
  /** Runs a function; resolves to its result, rejects on a function error. */
  invoke(target: string, event: unknown): Promise<unknown>;
  limits?: Partial<GatewayLimits>;
  /** Never call `$disconnect` (AWS only promises best effort). */
  dropDisconnect?: boolean;
  /**
   * Handle the messages of one connection one at a time, in order, for debugging. Default
   * false: as API Gateway does, each message is dispatched as soon as it arrives, so the
   * invocations of one connection run at once and answer in the order they finish.
   */
  serializeMessages?: boolean;
  /** When set, @connections requests must be SigV4-signed with these (service execute-api). */
  credentials?: GatewayCredentials;
  /**
   * When set, @connections requests whose `Host` it refuses get 403 before anything else
   * (DNS rebinding: the local credentials are no secret). `startGateway` sets it.
   */
  hostCheck?: HostCheck;
  log?(line: string): void;
}

export interface PostStatusFault {
  /** 410, 429 or 500 (POST_FAULT_STATUSES): GoneException, LimitExceededException, InternalServerErrorException. */
  status: PostFaultStatus;
  /** Share of posts affected, 0..1. */
  share: number;
  /** Affect at most this many posts, then the fault clears itself. */
  count?: number;
}

export interface FaultSettings {
  postStatus?: PostStatusFault;
  postDelayMs?: number;
  /** An action, not a setting: close every open socket abruptly, now. */
  dropSockets?: boolean;
  dropDisconnect?: boolean;
  /**
   * The gateway is down (a region's outage): every open socket is dropped when it is set,
   * and handshakes are refused with 503 until it is cleared.
   */
  down?: boolean;
}

export interface FaultControls {
  /** Merges the given settings into the current ones (and runs `dropSockets` if true). */
  set(faults: FaultSettings): void;
  /** Removes every fault. */
  clear(): void;
  /** The settings in force. */
  current(): Omit<FaultSettings, 'dropSockets'>;
}

export interface Gateway {
  /** Serves the WebSocket endpoint and @connections on `server`, under `basePath` (default ''). */
  attach(server: Server, basePath?: string): void;
  /** Answers an @connections request; false when the request is not one (leave it to others). */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Takes over an HTTP upgrade request (answers every one it is given). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ids of the open connections. */
  connections(): string[];
  faults: FaultControls;
  /** Closes every socket (1001), calling `$disconnect` unless dropped; leaves no timer behind. */
  close(): Promise<void>;
}

export interface StartGatewayOptions extends GatewayOptions {
  port?: number;
  host?: string;
}

export interface StartedGateway {
  gateway: Gateway;
  /** `ws://127.0.0.1:PORT/STAGE` */
  url: string;
  /** `http://127.0.0.1:PORT/STAGE`: the endpoint for ApiGatewayManagementApiClient. */
  connectionsUrl: string;
  close(): Promise<void>;
}
