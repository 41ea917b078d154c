import { appFromEnv, connect, websocketHandler } from '@roomcast/core';

const app = appFromEnv();

/** $connect: check the origin and store the connection. */
export const handler = websocketHandler(app, (request) => connect(app, request));
