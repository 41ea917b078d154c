import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayCore } from './core.js';
import { refuseForeignHost } from '../shared/host-check.js';
import { loggableSignatureProblem } from '../shared/log-safe.js';
import { readBody } from '../shared/read-body.js';
import { sendJson } from './http-util.js';
import { sendManagementError as fail } from './management-errors.js';
import { pathOf } from './request-parts.js';
import { checkSignature } from './sigv4.js';

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
  if (core.options.hostCheck && !core.options.hostCheck(req)) {
    req.resume();
    refuseForeignHost(res);
    return true;
  }
  serve(core, req, res, id).catch((error: unknown) => {
    core.log(`@connections ${req.method} ${id} failed: ${String(error)}`);
    if (!res.headersSent) fail(res, 'InternalServerErrorException');
    else res.destroy();
  });
  return true;
}

async function serve(core: GatewayCore, req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  const method = req.method ?? 'GET';
  const { body, tooLarge } = await readBody(req, core.limits.messageBytes);
  if (method === 'POST' && tooLarge) return fail(res, 'PayloadTooLargeException');
  const credentials = core.options.credentials;
  if (credentials) {
    const problem = await checkSignature(req, body, credentials, core.options.region);
    if (problem !== undefined) {
      // API Gateway's reason goes to the log; the caller gets ForbiddenException's message.
      core.log(`@connections ${method} ${id} refused: ${loggableSignatureProblem(problem)}`);
      return fail(res, 'ForbiddenException');
    }
  }
  if (!['POST', 'GET', 'DELETE'].includes(method)) return fail(res, 'ForbiddenException');
  if (!core.bucket.take()) return fail(res, 'LimitExceededException');
  if (method === 'POST') {
    await core.sleep(core.faults.delayMs);
    const injected = core.faults.takePostError();
    if (injected !== undefined) return fail(res, injected);
  }
  const connection = core.openConnection(id);
  if (!connection) return fail(res, 'GoneException');
  if (method === 'POST') {
    if (!connection.send(body.toString('utf8'))) return fail(res, 'GoneException');
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
