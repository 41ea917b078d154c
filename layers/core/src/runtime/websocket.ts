import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { App } from '../app/context.js';
import { admitFrame } from '../app/frame-limit.js';
import { checkSession } from '../app/session.js';
import type { SocketRequest } from '../app/socket-request.js';
import { asRoomcastError } from '../errors.js';
import { errorFrame } from '../protocol/server-frames.js';
import { lambdaHandler, roomcastHandler } from './middy.js';

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

type SocketContext = Context & { socket: SocketRequest };
type Middleware = MiddlewareObj<WebSocketEvent, APIGatewayProxyResultV2, Error, SocketContext>;

/** Routes that are no frame of the client's, so spend nothing of its frame budget. */
const LIFECYCLE_ROUTES = new Set(['$connect', '$disconnect']);

/**
 * A WebSocket route: the use case returns the frame to send back (the route response),
 * or nothing. A frame over its connection's rate, or of a session whose token expired, is
 * refused before the use case runs. A
 * typed error becomes an error frame and the connection stays open; on `$connect` it
 * becomes the handshake's status code instead.
 */
export function websocketHandler(app: App, useCase: (request: SocketRequest) => Promise<string | undefined>) {
  const handler = roomcastHandler<WebSocketEvent, APIGatewayProxyResultV2, SocketContext>(app, ({ requestContext: context }) => ({
    connectionId: context.connectionId,
    route: context.routeKey,
    requestId: context.requestId,
  }))
    .use(socketErrors(app))
    .use(socketRequest(app))
    .use(frameAdmission(app))
    .use(sessionCheck(app))
    .handler(async (_event, context) => {
      const body = await useCase(context.socket);
      return body === undefined ? { statusCode: 200 } : { statusCode: 200, body };
    });
  return lambdaHandler(handler);
}

/** The event as the use cases read it, on `context.socket`. */
function socketRequest(app: App): Middleware {
  return {
    before: (request) => {
      const { event } = request;
      const { requestContext: context } = event;
      const body = event.body ?? undefined;
      request.context.socket = {
        routeKey: context.routeKey,
        connectionId: context.connectionId,
        body: body !== undefined && event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
        headers: event.headers ?? {},
        query: event.queryStringParameters ?? {},
        authorizer: context.authorizer,
        connectionsEndpoint: app.config.connectionsEndpoint || `https://${context.domainName}/${context.stage}`,
      };
    },
  };
}

/** Every client frame spends from its connection's budget before any work (app/frame-limit.ts). */
function frameAdmission(app: App): Middleware {
  return {
    before: async (request) => {
      if (!LIFECYCLE_ROUTES.has(request.event.requestContext.routeKey)) await admitFrame(app, request.context.socket);
    },
  };
}

/** A frame of a session that ended is refused with TOKEN_EXPIRED (app/session.ts). */
function sessionCheck(app: App): Middleware {
  return { before: (request) => checkSession(app, request.context.socket) };
}

/** A typed error: an error frame (the socket stays open), or on `$connect` the handshake's status. */
function socketErrors(app: App): Middleware {
  return {
    onError: (request) => {
      const error = asRoomcastError(request.error);
      const log = error.code === 'INTERNAL' ? app.logger.error.bind(app.logger) : app.logger.info.bind(app.logger);
      // A flood is logged by admitFrame, once per window: a line per refused frame would flood the logs.
      if (error.code !== 'RATE_LIMITED') log('request refused', { code: error.code, error: error.code === 'INTERNAL' ? request.error : error.message });
      request.response = request.event.requestContext.routeKey === '$connect' ? { statusCode: error.status } : { statusCode: 200, body: errorFrame(error) };
    },
  };
}
