import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type { App } from '../app/context.js';
import type { HttpRequest, HttpResponse } from '../app/http-request.js';
import { asRoomcastError } from '../errors.js';

/** The parts of an HTTP API (payload format 2.0) event roomcast reads. */
export interface HttpEvent {
  routeKey: string;
  pathParameters?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string };
}

/** An HTTP route: JSON in, JSON out; a typed error becomes `{"error": {code, message, retryable}}`. */
export function httpHandler(app: App, useCase: (request: HttpRequest) => Promise<HttpResponse>) {
  return async (event: HttpEvent): Promise<APIGatewayProxyResultV2> => {
    app.logger.appendKeys({ route: event.routeKey, requestId: event.requestContext?.requestId });
    try {
      const response = await useCase(toRequest(event));
      return json(response.status, response.body);
    } catch (thrown) {
      const error = asRoomcastError(thrown);
      if (error.code === 'INTERNAL') app.logger.error('request failed', { error: thrown });
      else app.logger.info('request refused', { code: error.code, reason: error.message });
      return json(error.status, { error: { code: error.code, message: error.message, retryable: error.retryable, ...(error.details ? { details: error.details } : {}) } });
    } finally {
      app.metrics.flush();
      app.logger.resetKeys();
    }
  };
}

function toRequest(event: HttpEvent): HttpRequest {
  const pathParameters = Object.fromEntries(Object.entries(event.pathParameters ?? {}).map(([key, value]) => [key, decode(value)]));
  const body = event.body !== undefined && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return { routeKey: event.routeKey, pathParameters, query: event.queryStringParameters ?? {}, body };
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
