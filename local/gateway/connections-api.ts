import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayCore } from './core.js';
import { readBody } from '../shared/read-body.js';
import { sendAwsError, sendJson } from './http-util.js';
import { pathOf } from './request-parts.js';
import { checkSignature } from './sigv4.js';

/** The error type API Gateway's management API names in `x-amzn-ErrorType`, per HTTP status. */
export const MANAGEMENT_API_ERROR_TYPES: Readonly<Record<number, string>> = {
  403: 'ForbiddenException',
  410: 'GoneException',
  413: 'PayloadTooLargeException',
  429: 'LimitExceededException',
  500: 'InternalServerErrorException',
  502: 'BadGatewayException',
  503: 'ServiceUnavailableException',
};

const MESSAGES: Record<number, string | null> = {
  403: 'Forbidden',
  410: null,
  413: 'Request entity too large',
  429: 'Too Many Requests',
  500: 'Internal server error',
};

function fail(res: ServerResponse, status: 403 | 410 | 413 | 429 | 500): void {
  sendAwsError(res, status, MANAGEMENT_API_ERROR_TYPES[status]!, MESSAGES[status] ?? null);
}

/** The connection id of an `/{stage}/@connections/{id}` path (`@` may come as `%40`). */
export function connectionIdOf(core: GatewayCore, url: string | undefined): string | undefined {
  const path = pathOf(url);
  const prefix = core.stagePath().replace(/\/$/, '');
  for (const at of ['@', '%40']) {
    const head = `${prefix}/${at}connections/`;
    if (!path.startsWith(head)) continue;
    const rest = path.slice(head.length);
    if (rest === '' || rest.includes('/')) return undefined;
    try {
      return decodeURIComponent(rest);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Serves one @connections request; false when the request is not one. */
export function handleConnectionsRequest(core: GatewayCore, req: IncomingMessage, res: ServerResponse): boolean {
  const id = connectionIdOf(core, req.url);
  if (id === undefined) return false;
  serve(core, req, res, id).catch((error: unknown) => {
    core.log(`@connections ${req.method} ${id} failed: ${String(error)}`);
    if (!res.headersSent) fail(res, 500);
    else res.destroy();
  });
  return true;
}

async function serve(core: GatewayCore, req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  const method = req.method ?? 'GET';
  const { body, tooLarge } = await readBody(req, core.limits.messageBytes);
  if (method === 'POST' && tooLarge) return fail(res, 413);
  const credentials = core.options.credentials;
  if (credentials) {
    const problem = await checkSignature(req, body, credentials, core.options.region);
    if (problem) {
      core.log(`@connections ${method} ${id} refused: ${problem}`);
      return fail(res, 403);
    }
  }
  if (!['POST', 'GET', 'DELETE'].includes(method)) return fail(res, 403);
  if (!core.bucket.take()) return fail(res, 429);
  if (method === 'POST') {
    await core.sleep(core.faults.delayMs);
    const injected = core.faults.takePostStatus();
    if (injected !== undefined) return fail(res, injected);
  }
  const connection = core.openConnection(id);
  if (!connection) return fail(res, 410);
  if (method === 'POST') {
    if (!connection.send(body.toString('utf8'))) return fail(res, 410);
    return sendJson(res, 200, undefined);
  }
  if (method === 'GET') {
    // The wire names of GetConnection (the SDK maps them to ConnectedAt, Identity, ...).
    return sendJson(res, 200, {
      connectedAt: new Date(connection.facts.connectedAt).toISOString(),
      identity: { sourceIp: connection.facts.sourceIp, userAgent: connection.facts.userAgent },
      lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
    });
  }
  connection.close(1000, 'Connection Closed Normally');
  return sendJson(res, 204, undefined);
}
