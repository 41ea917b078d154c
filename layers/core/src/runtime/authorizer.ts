import type { MiddlewareObj } from '@middy/core';
import type { App } from '../app/context.js';
import type { AuthorizeRequest, AuthorizeResult } from '../app/authorize.js';
import { asRoomcastError } from '../errors.js';
import { lambdaHandler, roomcastHandler } from './middy.js';

/** The parts of an API Gateway REQUEST authorizer event roomcast reads. */
export interface AuthorizerEvent {
  methodArn: string;
  queryStringParameters?: Record<string, string | undefined> | null;
  requestContext?: { connectionId?: string; requestId?: string };
}

export interface AuthorizerResponse {
  principalId: string;
  policyDocument: { Version: '2012-10-17'; Statement: Array<{ Action: string; Effect: 'Allow' | 'Deny'; Resource: string }> };
  context?: Record<string, string>;
}

/**
 * The `$connect` authorizer. Allow: a policy for this route and the principal, its room
 * patterns and its token's `exp` as context (strings only, as API Gateway requires). Refusal: the error
 * `Unauthorized`, which API Gateway answers with 401. The token itself is never logged.
 */
export function authorizerHandler(app: App, useCase: (request: AuthorizeRequest) => Promise<AuthorizeResult>) {
  const handler = roomcastHandler<AuthorizerEvent, AuthorizerResponse>(app, (event) => ({
    connectionId: event.requestContext?.connectionId,
    requestId: event.requestContext?.requestId,
  }))
    .use(unauthorized(app))
    .handler(async (event) => {
      const result = await useCase({ token: event.queryStringParameters?.token, methodArn: event.methodArn });
      return {
        principalId: result.principal,
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: result.methodArn }] },
        // `exp` reaches every later route of the connection: frames check it without a read (app/session.ts).
        context: { principal: result.principal, rooms: JSON.stringify(result.patterns), exp: String(result.expiresAt) },
      };
    });
  return lambdaHandler(handler);
}

/** Any refusal or failure is `Unauthorized` to API Gateway; the reason goes to the log only. */
function unauthorized(app: App): MiddlewareObj<AuthorizerEvent, AuthorizerResponse> {
  return {
    onError: (request) => {
      const error = asRoomcastError(request.error);
      app.logger.info('connection refused', { code: error.code, reason: error.message });
      if (error.code === 'INTERNAL') app.logger.error('authorizer failure', { error: request.error });
      // Not thrown here: the rest of the error stack (the metrics flush) still runs, then middy throws it.
      request.error = new Error('Unauthorized');
    },
  };
}
