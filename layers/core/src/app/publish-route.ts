import type { App } from './context.js';
import type { HttpRequest, HttpResponse } from './http-request.js';
import { publishBatch, publishOne } from './publish.js';
import { parseBatchBody, parsePublishBody } from '../protocol/publish-request.js';

/** POST|PUT /rooms/{room}/messages and POST /messages. Nothing is stored unless all is valid. */
export async function publishRoute(app: App, request: HttpRequest): Promise<HttpResponse> {
  if (request.routeKey.endsWith(' /messages')) {
    return { status: 202, body: { messages: await publishBatch(app, parseBatchBody(request.body)) } };
  }
  return { status: 202, body: await publishOne(app, parsePublishBody(request.pathParameters.room ?? '', request.body)) };
}
