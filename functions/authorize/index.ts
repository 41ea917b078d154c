import { appFromEnv, authorize, authorizerHandler } from '@roomcast/core';

const app = appFromEnv();

/** $connect authorizer: verify the token, allow with the principal's room patterns as context. */
export const handler = authorizerHandler(app, (request) => authorize(app, request));
