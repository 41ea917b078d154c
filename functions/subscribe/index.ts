import { appFromEnv, parseFrame, subscribe, websocketHandler } from '@roomcast/core';

const app = appFromEnv();

/** subscribe: check the rooms, store the subscriptions, send `subscribed` and the snapshots. */
export const handler = websocketHandler(app, (request) => subscribe(app, request, parseFrame(request.body, 'subscribe')));
