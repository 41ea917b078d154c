import { int, type Env } from '../../config.js';

/** The canary's own settings, from its environment (template.yaml: CanaryFunction). */
export interface CanarySettings {
  /** wss:// URL of the stage, without a token. */
  url: string;
  /** Numbered messages published per run. */
  messages: number;
  /** How long to wait for the messages after the last publish. */
  timeoutMs: number;
  /** Bound on opening the socket, and on the answer to its subscribe. */
  connectTimeoutMs: number;
  /** SSM parameter (or Secrets Manager ARN) holding a client token; empty: sign one, or none with AuthMode none. */
  tokenRef: string;
}

export function canarySettings(env: Env = process.env): CanarySettings {
  const url = env.CANARY_URL ?? '';
  if (!/^wss?:\/\/[^\s?#]+$/.test(url)) throw new RangeError(`CANARY_URL must be the ws:// or wss:// URL of the stage, got "${url}"`);
  return {
    url,
    messages: int(env, 'CANARY_MESSAGES', 5, 1, 50),
    timeoutMs: int(env, 'CANARY_TIMEOUT_MS', 10_000, 100, 60_000),
    connectTimeoutMs: int(env, 'CANARY_CONNECT_TIMEOUT_MS', 5_000, 100, 30_000),
    tokenRef: env.CANARY_TOKEN_REF ?? '',
  };
}
