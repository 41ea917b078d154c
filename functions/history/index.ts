import { appFromEnv, history, httpHandler } from '@roomcast/core';

const app = appFromEnv();

/** GET /rooms/{room}/messages?since=&limit=: a room's history for services. */
export const handler = httpHandler(app, (request) => history(app, request));
