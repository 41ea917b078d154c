import { originPatternProblem } from './model/origins.js';
import { patternProblem } from './model/room-patterns.js';
import { LIMITS } from './model/limits.js';

/**
 * Everything a function reads from its environment, validated once at cold start.
 * template.yaml sets these; each function gets only the ones it uses.
 */
export interface Config {
  region: string;
  /** The stack's name: the metrics' dimension that tells stacks in one account apart. */
  stack: string;
  connectionsTable: string;
  messagesTable: string;
  deliveryQueueUrl: string;
  deliveryDlqUrl: string;
  /** The plan queue: segments of large rooms' fan-outs. Empty: every fan-out is planned inline. */
  planQueueUrl: string;
  /** https://{api}.execute-api.{region}.amazonaws.com/{stage}; empty: derive from the event. */
  connectionsEndpoint: string;
  authMode: 'jwt' | 'none';
  /** `secretMaxAgeSeconds`: how long a secret read from `secretRef` is used before it is read again. */
  jwt: { issuer: string; audience: string; jwksUrl: string; secretRef: string; secret: string; secretMaxAgeSeconds: number; roomsClaim: string };
  allowedOrigins: string[];
  historyLength: number;
  snapshotDefault: number;
  historyTtlSeconds: number;
  /** Partitions of a room's first generation of subscription rows (model/room-partitions.ts). */
  deliveryShards: number;
  /** Rows in one partition of a room's newest generation that open the next generation. */
  roomPartitionRows: number;
  /** A room of at most this many partitions is planned inside the publish; a larger one by planners. */
  planInlinePartitions: number;
  /** Partitions one planner reads for one task (a segment). */
  planSegmentPartitions: number;
  /** Room patterns whose subscribers need only the latest message (conflation). */
  conflateRooms: string[];
  /** How long deliver trusts a room's latest planned position it read, for conflation. */
  conflateCacheMs: number;
  /** The account's PostToConnection quota, shared by all deliver instances. */
  postQuotaPerSecond: number;
  /**
   * The most concurrent deliver instances: the event source's MaximumConcurrency, or in
   * provisioned mode what its most pollers run (DELIVERY_MAXIMUM_POLLERS, 0 in standard mode).
   */
  deliveryMaxConcurrency: number;
  jobSize: number;
  postConcurrency: number;
  postTimeoutMs: number;
  postAttempts: number;
  deliveryMaxAttempts: number;
  roomsPerConnection: number;
  /**
   * How long a connection's rows live (their TTL): just over API Gateway's 2 h limit, so
   * that only connections whose `$disconnect` was lost expire. Tests shorten it.
   */
  connectionTtlSeconds: number;
  snapshotCacheMs: number;
  publishClaimMs: number;
  /** Frames per second one connection may send (per function instance); 0: no limit. */
  frameRate: number;
  /** Frames one connection may send at once. */
  frameBurst: number;
  /** How long a session outlives its token's `exp` for a `refresh` to arrive (model/session.ts). */
  tokenExpiryGraceSeconds: number;
}

export type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const authMode = env.AUTH_MODE === 'none' ? 'none' : 'jwt';
  const historyLength = int(env, 'HISTORY_LENGTH', 100, 1, 1000);
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    stack: env.ROOMCAST_STACK || 'roomcast',
    connectionsTable: env.CONNECTIONS_TABLE ?? '',
    messagesTable: env.MESSAGES_TABLE ?? '',
    deliveryQueueUrl: env.DELIVERY_QUEUE_URL ?? '',
    deliveryDlqUrl: env.DELIVERY_DLQ_URL ?? '',
    planQueueUrl: env.PLAN_QUEUE_URL ?? '',
    connectionsEndpoint: env.CONNECTIONS_ENDPOINT ?? '',
    authMode,
    jwt: {
      issuer: env.JWT_ISSUER ?? '',
      audience: env.JWT_AUDIENCE ?? '',
      jwksUrl: env.JWT_JWKS_URL ?? '',
      secretRef: env.JWT_SECRET_REF ?? '',
      secret: env.JWT_SECRET ?? '',
      secretMaxAgeSeconds: int(env, 'JWT_SECRET_MAX_AGE_SECONDS', 300, 0, 86_400),
      roomsClaim: env.JWT_ROOMS_CLAIM || 'rooms',
    },
    allowedOrigins: checked(list(env.ALLOWED_ORIGINS ?? '*'), 'ALLOWED_ORIGINS', originPatternProblem),
    historyLength,
    snapshotDefault: Math.min(historyLength, int(env, 'SNAPSHOT_DEFAULT', 20, 0, 1000)),
    historyTtlSeconds: int(env, 'HISTORY_TTL_SECONDS', 86_400, 60, 365 * 86_400),
    deliveryShards: int(env, 'DELIVERY_SHARDS', 4, 1, 64),
    roomPartitionRows: int(env, 'ROOM_PARTITION_ROWS', 1000, 1, 1_000_000),
    planInlinePartitions: int(env, 'PLAN_INLINE_PARTITIONS', 4, 0, 1024),
    planSegmentPartitions: int(env, 'PLAN_SEGMENT_PARTITIONS', 4, 1, 1024),
    conflateRooms: checked(list(env.CONFLATE_ROOMS ?? ''), 'CONFLATE_ROOMS', patternProblem),
    conflateCacheMs: int(env, 'CONFLATE_CACHE_MS', 250, 0, 60_000),
    postQuotaPerSecond: int(env, 'POST_QUOTA_PER_SECOND', 10_000, 0, 10_000_000),
    deliveryMaxConcurrency: deliveryMaxConcurrency(env),
    jobSize: int(env, 'DELIVERY_JOB_SIZE', 100, 1, 1000),
    postConcurrency: int(env, 'POST_CONCURRENCY', 64, 1, 1024),
    postTimeoutMs: int(env, 'POST_TIMEOUT_MS', 3000, 50, 30_000),
    postAttempts: int(env, 'POST_ATTEMPTS', 3, 1, 10),
    deliveryMaxAttempts: int(env, 'DELIVERY_MAX_ATTEMPTS', 5, 1, 50),
    roomsPerConnection: int(env, 'ROOMS_PER_CONNECTION', LIMITS.roomsPerConnection, 1, 10_000),
    connectionTtlSeconds: int(env, 'CONNECTION_TTL_SECONDS', LIMITS.connectionTtlSeconds, 1, 7 * 86_400),
    snapshotCacheMs: int(env, 'SNAPSHOT_CACHE_MS', 1000, 0, 60_000),
    publishClaimMs: int(env, 'PUBLISH_CLAIM_MS', 30_000, 0, 900_000),
    frameRate: int(env, 'FRAME_RATE', 10, 0, 10_000),
    frameBurst: int(env, 'FRAME_BURST', 50, 1, 10_000),
    tokenExpiryGraceSeconds: int(env, 'TOKEN_EXPIRY_GRACE_SECONDS', 30, 0, 3600),
  };
}

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

/** The items, each of which must pass `problemOf`: a clear error naming the variable otherwise. */
function checked(items: string[], name: string, problemOf: (item: string) => string | undefined): string[] {
  for (const item of items) {
    const problem = problemOf(item);
    if (problem) throw new RangeError(`${name}: ${problem}`);
  }
  return items;
}

/** An integer variable within [min, max]; a clear error naming the variable otherwise. */
export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** Standard mode: DELIVERY_MAX_CONCURRENCY. Provisioned mode: what DELIVERY_MAXIMUM_POLLERS pollers run at most. */
function deliveryMaxConcurrency(env: Env): number {
  const pollers = int(env, 'DELIVERY_MAXIMUM_POLLERS', 0, 0, 10_000);
  return pollers > 0 ? pollers * LIMITS.sqsInvocationsPerPoller : int(env, 'DELIVERY_MAX_CONCURRENCY', 50, 1, 10_000);
}
