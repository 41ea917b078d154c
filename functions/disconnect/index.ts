import { appFromEnv, disconnect, websocketHandler } from '@roomcast/core';

const app = appFromEnv();

/** $disconnect: remove the connection and all of its subscriptions. */
export const handler = websocketHandler(app, (request) => disconnect(app, request.connectionId));
