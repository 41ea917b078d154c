import type { Connection } from './connection.js';
import type { GatewayCore } from './core.js';
import { messageEvent } from './events.js';
import { newId } from './ids.js';
import { isObject } from './policy.js';
import { LIFECYCLE_ROUTES, selectRouteKey } from './route-selection.js';
import type { GatewayRoute } from './types.js';

/**
 * The frame API Gateway sends a client when it cannot route or run its message,
 * spaced exactly as API Gateway spaces it.
 */
export function gatewayErrorFrame(message: string, connectionId: string, requestId: string): string {
  return `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(requestId)}}`;
}

/** What API Gateway closes a connection with when its client sends a binary frame (it routes text frames only). */
export const BINARY_FRAME_CLOSE = { code: 1003, reason: 'Binary frames are not supported' } as const;

/**
 * A message from a client: a binary frame closes the connection with 1003, as API Gateway
 * does; a text frame is throttled, then dispatched at once, whatever of the connection's
 * earlier ones is still in flight (behind them with `serializeMessages`). Its answer, a
 * route response or an error frame, goes out when its own invocation finishes.
 */
export function receiveMessage(core: GatewayCore, connection: Connection, data: Buffer, isBinary: boolean): void {
  if (isBinary) {
    core.log(`${connection.id} sent a binary frame: closing with ${BINARY_FRAME_CLOSE.code}`);
    connection.close(BINARY_FRAME_CLOSE.code, BINARY_FRAME_CLOSE.reason);
    return;
  }
  const requestId = newId();
  if (!core.bucket.take()) {
    core.log(`${connection.id} message throttled`);
    connection.send(gatewayErrorFrame('Too Many Requests', connection.id, requestId));
    return;
  }
  const body = data.toString('utf8');
  connection.handle(() => dispatch(core, connection, body, false, requestId));
}

export function routeFor(core: GatewayCore, body: string, isBinary: boolean): GatewayRoute | undefined {
  const key = isBinary ? undefined : selectRouteKey(core.options.routeSelectionExpression, body);
  const route = key !== undefined && !LIFECYCLE_ROUTES.has(key) ? core.routes.get(key) : undefined;
  return route ?? core.routes.get('$default');
}

async function dispatch(core: GatewayCore, connection: Connection, body: string, isBinary: boolean, requestId: string): Promise<void> {
  const route = routeFor(core, body, isBinary);
  if (!route) {
    connection.send(gatewayErrorFrame('Forbidden', connection.id, requestId));
    return;
  }
  const event = messageEvent(connection.facts, route.routeKey, body, isBinary, requestId);
  let result: unknown;
  try {
    result = await withinIntegrationTimeout(core.options.invoke(route.target, event), core.limits.integrationTimeoutMs);
  } catch (error) {
    const timedOut = error === TIMED_OUT;
    core.log(`${connection.id} ${route.routeKey} ${timedOut ? `timed out after ${core.limits.integrationTimeoutMs} ms` : `failed: ${errorMessage(error)}`}`);
    connection.send(gatewayErrorFrame(timedOut ? 'Endpoint request timed out' : 'Internal server error', connection.id, requestId));
    return;
  }
  if (!route.hasRouteResponse) return;
  const reply = routeResponseBody(result);
  if (reply !== undefined) connection.send(reply);
}

const TIMED_OUT = Symbol('integration timed out');

/** The invocation's result, or TIMED_OUT thrown once `ms` pass (the invocation itself goes on). */
function withinIntegrationTimeout<T>(invocation: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(TIMED_OUT), ms);
  });
  invocation.catch(() => undefined);
  return Promise.race([invocation, deadline]).finally(() => clearTimeout(timer));
}

/** What a route response sends back: a string result, or the `body` of a proxy result. */
export function routeResponseBody(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (!isObject(result) || typeof result.body !== 'string') return undefined;
  return result.isBase64Encoded === true ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (isObject(error) && typeof error.errorMessage === 'string') return error.errorMessage;
  return String(error);
}
