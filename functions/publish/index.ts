import { appFromEnv, httpHandler, publishRoute } from '@roomcast/core';

const app = appFromEnv();

/** POST|PUT /rooms/{room}/messages and POST /messages: store, plan the fan-out, answer 202. */
export const handler = httpHandler(app, (request) => publishRoute(app, request));
