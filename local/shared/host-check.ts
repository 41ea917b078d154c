/**
 * DNS rebinding protection for the local cloud's own endpoints (the console, the control
 * endpoint, the metrics, `@connections`). A page of another site can make its name resolve
 * to 127.0.0.1 and then call these endpoints as "same origin"; its requests still carry its
 * own name in `Host`. So a request is served only when its `Host` names an address the
 * cloud listens on (127.0.0.1, localhost, [::1], the configured host; with a wildcard host,
 * the machine's own addresses) and the port it arrived on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '']);

export const FOREIGN_HOST_MESSAGE =
  'refused: the Host header does not name an address this local cloud listens on (protection against DNS rebinding); ' +
  'use the URL the local cloud printed, e.g. http://127.0.0.1:<port>';

/** Whether a request's `Host` is one of the cloud's own addresses, on the port it arrived on. */
export type HostCheck = (req: IncomingMessage) => boolean;

/**
 * The check for servers that listen on `host`. `awsNames` are the AWS host names the local
 * server answers for (an API's `{id}.execute-api.{region}.amazonaws.com`, which only the
 * local functions' routed requests carry: no page can make such a name resolve here).
 */
export function hostCheck(host: string, awsNames: string[] = []): HostCheck {
  const names = new Set([...LOOPBACK, host.toLowerCase().replace(/^\[|\]$/g, '')]);
  if (WILDCARDS.has(host)) for (const address of machineAddresses()) names.add(address);
  names.delete('');
  const aliases = new Set(awsNames.map((name) => name.toLowerCase()));
  return (req) => {
    const parsed = parseHost(req.headers.host);
    if (parsed === undefined) return false;
    return aliases.has(parsed.name) || (names.has(parsed.name) && parsed.port === req.socket.localPort);
  };
}

/** Answers a request whose `Host` is not the cloud's: 403, and nothing else happens. */
export function refuseForeignHost(res: ServerResponse): void {
  const body = Buffer.from(JSON.stringify({ message: FOREIGN_HOST_MESSAGE }));
  res.writeHead(403, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store' });
  res.end(body);
}

/** The name (lower-cased, IPv6 without brackets) and port (80 when none) of a Host header; undefined when malformed. */
export function parseHost(header: string | undefined): { name: string; port: number } | undefined {
  const match = header === undefined ? null : /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(header.trim());
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase().replace(/^\[|\]$/g, ''), port: match[2] === undefined ? 80 : Number(match[2]) };
}

function machineAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((item) => item.address.toLowerCase()));
}
