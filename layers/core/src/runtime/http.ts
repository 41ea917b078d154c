import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { App } from '../app/context.js';
import type { HttpRequest, HttpResponse } from '../app/http-request.js';
import { asRoomcastError } from '../errors.js';
import { lambdaHandler, roomcastHandler } from './middy.js';

/** The parts of an HTTP API (payload format 2.0) event roomcast reads. */
export interface HttpEvent {
  routeKey: string;
  pathParameters?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string };
}

type HttpContext = Context & { http: HttpRequest };
type Middleware = MiddlewareObj<HttpEvent, APIGatewayProxyResultV2, Error, HttpContext>;

/** An HTTP route: JSON in, JSON out; a typed error becomes `{"error": {code, message, retryable}}`. */
export function httpHandler(app: App, useCase: (request: HttpRequest) => Promise<HttpResponse>) {
  const handler = roomcastHandler<HttpEvent, APIGatewayProxyResultV2, HttpContext>(app, (event) => ({ route: event.routeKey, requestId: event.requestContext?.requestId }))
    .use(httpErrors(app))
    .use(httpRequest())
    .handler(async (_event, context) => {
      const response = await useCase(context.http);
      return json(response.status, response.body);
    });
  return lambdaHandler(handler);
}

/** The event as the use cases read it, on `context.http`. */
function httpRequest(): Middleware {
  return {
    before: (request) => {
      const { event } = request;
      const pathParameters = Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([key, value]) => [key, decode(value)]));
      const body = event.body !== undefined && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
      request.context.http = { routeKey: event.routeKey, pathParameters, query: event.queryStringParameters ?? {}, body };
    },
  };
}

/** A typed error: its status and `{"error": {code, message, retryable, details?}}`. */
function httpErrors(app: App): Middleware {
  return {
    onError: (request) => {
      const error = asRoomcastError(request.error);
      if (error.code === 'INTERNAL') app.logger.error('request failed', { error: request.error });
      else app.logger.info('request refused', { code: error.code, reason: error.message });
      request.response = json(error.status, { error: { code: error.code, message: error.message, retryable: error.retryable, ...(error.details ? { details: error.details } : {}) } });
    },
  };
}

/** Path parameters may arrive percent-encoded; room names never contain '%'. */
function decode(value: string | undefined): string | undefined {
  if (value === undefined || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
