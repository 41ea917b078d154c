import type { App } from '../app/context.js';
import type { AuthorizeRequest, AuthorizeResult } from '../app/authorize.js';
import { asRoomcastError } from '../errors.js';

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
 * The `$connect` authorizer. Allow: a policy for this route and the principal's room
 * patterns as context (strings only, as API Gateway requires). Refusal: the error
 * `Unauthorized`, which API Gateway answers with 401. The token itself is never logged.
 */
export function authorizerHandler(app: App, useCase: (request: AuthorizeRequest) => Promise<AuthorizeResult>) {
  return async (event: AuthorizerEvent): Promise<AuthorizerResponse> => {
    app.logger.appendKeys({ connectionId: event.requestContext?.connectionId, requestId: event.requestContext?.requestId });
    try {
      const result = await useCase({ token: event.queryStringParameters?.token, methodArn: event.methodArn });
      return {
        principalId: result.principal,
        policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: result.methodArn }] },
        context: { principal: result.principal, rooms: JSON.stringify(result.patterns) },
      };
    } catch (thrown) {
      const error = asRoomcastError(thrown);
      app.logger.info('connection refused', { code: error.code, reason: error.message });
      if (error.code === 'INTERNAL') app.logger.error('authorizer failure', { error: thrown });
      throw new Error('Unauthorized');
    } finally {
      app.metrics.flush();
      app.logger.resetKeys();
    }
  };
}
