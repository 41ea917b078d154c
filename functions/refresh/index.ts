import { appFromEnv, parseFrame, refresh, websocketHandler } from '@roomcast/core';

const app = appFromEnv();

/** refresh: verify the new token as $connect does, leave the rooms it no longer grants, renew the session, answer `refreshed`. */
export const handler = websocketHandler(app, (request) => refresh(app, request, parseFrame(request.body, 'refresh')));
