/**
 * The running local cloud, found through its console's control endpoint: what it runs
 * (`GET /_roomcast/info`) and dev tokens it signs (`POST /_roomcast/token`).
 */
import type { CloudInfo } from '@roomcast/local/options';
import { CliError } from './errors.js';

const DEADLINE_MS = 5000;

/** The console listens on the first port + 2. */
export function controlUrl(port: number): string {
  return `http://127.0.0.1:${port + 2}/_roomcast`;
}

export function noLocalCloud(port: number): string {
  return `no local cloud on port ${port + 2}: start one with \`npm start\`, or pass --url/--publish-url or --stack`;
}

export interface DevTokenRequest {
  sub: string;
  rooms: string[];
  ttlSeconds?: number;
}

export interface DevToken {
  token: string;
  expiresAt: string;
}

async function control(port: number, path: string, init: RequestInit = {}): Promise<unknown> {
  const url = `${controlUrl(port)}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(DEADLINE_MS) });
  } catch {
    throw new CliError(noLocalCloud(port));
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(`port ${port + 2} answers, but not as a roomcast local cloud (HTTP ${response.status} for ${url})`);
  }
  if (response.status === 503) throw new CliError(`the local cloud on port ${port + 2} is still starting: try again in a moment`);
  const error = (body as { error?: unknown } | null)?.error;
  if (!response.ok) throw new CliError(`the local cloud answered ${response.status}: ${typeof error === 'string' ? error : text}`);
  return body;
}

function hasStrings<K extends string>(value: unknown, keys: readonly K[]): value is Record<K, string> {
  return typeof value === 'object' && value !== null && keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string');
}

const INFO_FIELDS = ['wsUrl', 'publishUrl', 'region', 'token', 'accessKeyId', 'secretAccessKey'] as const;

export async function localInfo(port: number): Promise<CloudInfo> {
  const info = await control(port, '/info');
  if (!hasStrings(info, INFO_FIELDS)) throw new CliError(`the local cloud on port ${port + 2} answered an info without ${INFO_FIELDS.join(', ')}`);
  return info as unknown as CloudInfo;
}

export async function localDevToken(port: number, request: DevTokenRequest): Promise<DevToken> {
  const body = JSON.stringify(request);
  const answer = await control(port, '/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (!hasStrings(answer, ['token', 'expiresAt'] as const)) throw new CliError('the local cloud answered a token request without a token');
  return { token: answer.token, expiresAt: answer.expiresAt };
}
