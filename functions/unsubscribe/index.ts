import { appFromEnv, parseFrame, unsubscribe, websocketHandler } from '@roomcast/core';

const app = appFromEnv();

/** unsubscribe: remove the subscriptions, answer `unsubscribed`. */
export const handler = websocketHandler(app, (request) => unsubscribe(app, request, parseFrame(request.body, 'unsubscribe')));
