import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { App } from '../app/context.js';
import { admitFrame } from '../app/frame-limit.js';
import type { SocketRequest } from '../app/socket-request.js';
import { asRoomcastError } from '../errors.js';
import { errorFrame } from '../protocol/server-frames.js';

/** The parts of an API Gateway WebSocket event roomcast reads. */
export interface WebSocketEvent {
  requestContext: {
    routeKey: string;
    connectionId: string;
    domainName?: string;
    stage?: string;
    requestId?: string;
    authorizer?: Record<string, unknown>;
  };
  body?: string | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
}

/** Routes that are no frame of the client's, so spend nothing of its frame budget. */
const LIFECYCLE_ROUTES = new Set(['$connect', '$disconnect']);

/**
 * A WebSocket route: the use case returns the frame to send back (the route response),
 * or nothing. A frame over its connection's rate is refused before the use case runs. A
 * typed error becomes an error frame and the connection stays open; on `$connect` it
 * becomes the handshake's status code instead.
 */
export function websocketHandler(app: App, useCase: (request: SocketRequest) => Promise<string | undefined>) {
  return async (event: WebSocketEvent): Promise<APIGatewayProxyResultV2> => {
    const { requestContext: context } = event;
    app.logger.appendKeys({ connectionId: context.connectionId, route: context.routeKey, requestId: context.requestId });
    try {
      const request = toRequest(app, event);
      if (!LIFECYCLE_ROUTES.has(context.routeKey)) await admitFrame(app, request);
      const body = await useCase(request);
      return body === undefined ? { statusCode: 200 } : { statusCode: 200, body };
    } catch (thrown) {
      const error = asRoomcastError(thrown);
      const log = error.code === 'INTERNAL' ? app.logger.error.bind(app.logger) : app.logger.info.bind(app.logger);
      // A flood is logged by admitFrame, once per window: a line per refused frame would flood the logs.
      if (error.code !== 'RATE_LIMITED') log('request refused', { code: error.code, error: error.code === 'INTERNAL' ? thrown : error.message });
      if (context.routeKey === '$connect') return { statusCode: error.status };
      return { statusCode: 200, body: errorFrame(error) };
    } finally {
      app.metrics.flush();
      app.logger.resetKeys();
    }
  };
}

function toRequest(app: App, event: WebSocketEvent): SocketRequest {
  const { requestContext: context } = event;
  const body = event.body ?? undefined;
  return {
    routeKey: context.routeKey,
    connectionId: context.connectionId,
    body: body !== undefined && event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
    headers: event.headers ?? {},
    query: event.queryStringParameters ?? {},
    authorizer: context.authorizer,
    connectionsEndpoint: app.config.connectionsEndpoint || `https://${context.domainName}/${context.stage}`,
  };
}
