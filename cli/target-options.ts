/**
 * Where a command goes, as the command line says it: the local cloud (no flags, or
 * `--local-port`), explicit URLs (`--url`, `--publish-url`, `--region`) or a deployed
 * stack's outputs (`--stack`, `--region`). Pure: checked before anything is contacted.
 */
import { DEFAULT_PORT } from '@roomcast/local/options';
import { integerOption } from './args.js';
import type { Env } from './command.js';
import { UsageError } from './errors.js';

export const TARGET_OPTIONS = {
  url: { type: 'string' },
  'publish-url': { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
  'local-port': { type: 'string' },
} as const;

export const LOCAL_PORT_USAGE = `  --local-port N              the local cloud's first port (default ${DEFAULT_PORT}; its console is N+2)
`;

export const TARGET_USAGE = `
where (default: the local cloud of \`npm start\`, with its dev token and credentials):
${LOCAL_PORT_USAGE}  --url wss://...             a deployed stage's WebSocket URL (the stack's WebSocketUrl)
  --publish-url https://...   a deployed publish API (the stack's PublishUrl); signed with SigV4
                              and the AWS default credential chain
  --stack NAME                read WebSocketUrl and PublishUrl from the stack's outputs
  --region REGION             default: the URL's region, else AWS_REGION / the AWS config
`;

export interface TargetValues {
  url?: string | undefined;
  'publish-url'?: string | undefined;
  stack?: string | undefined;
  region?: string | undefined;
  'local-port'?: string | undefined;
}

/** What the command talks to: the publish API (publish, history) or the WebSocket (tail). */
export type Need = 'publish' | 'socket';

export type TargetRequest =
  | { kind: 'local'; port: number }
  | { kind: 'urls'; wsUrl: string; publishUrl: string; region: string }
  | { kind: 'stack'; stack: string; region?: string };

/** The local cloud's first port; its console (N+2) must be a port too. */
export function localPortOption(raw: string | undefined): number {
  return integerOption(raw, 'local-port', 1, 65_535 - 2) ?? DEFAULT_PORT;
}

const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** The region an `execute-api` URL names, if it names one. */
export function regionOfUrl(url: string): string | undefined {
  return EXECUTE_API_HOST.exec(new URL(url).hostname)?.[1];
}

function checkedUrl(raw: string, flag: string, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${flag} is not a URL: ${JSON.stringify(raw)}`);
  }
  if (!schemes.includes(url.protocol)) throw new UsageError(`--${flag} must start with ${schemes.map((s) => `${s}//`).join(' or ')}`);
  return raw.replace(/\/+$/, '');
}

export function targetRequest(values: TargetValues, need: Need, env: Env): TargetRequest {
  const { url, stack, region } = values;
  const publishUrl = values['publish-url'];
  const remote = url !== undefined || publishUrl !== undefined || stack !== undefined;
  if (!remote) {
    if (region !== undefined) throw new UsageError('--region goes with --url/--publish-url or --stack (the local cloud has its own)');
    return { kind: 'local', port: localPortOption(values['local-port']) };
  }
  if (values['local-port'] !== undefined) throw new UsageError('--local-port is for the local cloud: not with --url, --publish-url or --stack');
  if (stack !== undefined) {
    if (url !== undefined || publishUrl !== undefined) throw new UsageError('--stack reads the URLs from the stack: not with --url or --publish-url');
    if (stack.trim() === '') throw new UsageError('--stack needs a stack name');
    return { kind: 'stack', stack, ...(region ? { region } : {}) };
  }
  const wsUrl = url === undefined ? '' : checkedUrl(url, 'url', ['wss:', 'ws:']);
  const publish = publishUrl === undefined ? '' : checkedUrl(publishUrl, 'publish-url', ['https:', 'http:']);
  if (need === 'publish' && publish === '') throw new UsageError('needs --publish-url (or --stack; no flags: the local cloud)');
  if (need === 'socket' && wsUrl === '') throw new UsageError('needs --url (or --stack; no flags: the local cloud)');
  const found = region || regionOfUrl(publish || wsUrl) || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
  if (need === 'publish' && found === '') throw new UsageError('pass --region: the publish URL does not name one and AWS_REGION is not set');
  return { kind: 'urls', wsUrl, publishUrl: publish, region: found };
}
