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

/** A message from a client: throttle, then queue it behind the connection's earlier ones. */
export function receiveMessage(core: GatewayCore, connection: Connection, data: Buffer, isBinary: boolean): void {
  const requestId = newId();
  if (!core.bucket.take()) {
    core.log(`${connection.id} message throttled`);
    connection.send(gatewayErrorFrame('Too Many Requests', connection.id, requestId));
    return;
  }
  // Binary frames reach the integration base64-encoded and are never routed by content.
  const body = isBinary ? data.toString('base64') : data.toString('utf8');
  connection.enqueue(() => dispatch(core, connection, body, isBinary, requestId));
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
    result = await core.options.invoke(route.target, event);
  } catch (error) {
    core.log(`${connection.id} ${route.routeKey} failed: ${errorMessage(error)}`);
    connection.send(gatewayErrorFrame('Internal server error', connection.id, requestId));
    return;
  }
  if (!route.hasRouteResponse) return;
  const reply = routeResponseBody(result);
  if (reply !== undefined) connection.send(reply);
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
