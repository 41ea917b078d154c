import { appFromEnv, occupancy, parseFrame, websocketHandler } from '@roomcast/core';

const app = appFromEnv();

/** occupancy: one `occupancy` frame per room the connection may see. */
export const handler = websocketHandler(app, (request) => occupancy(app, request, parseFrame(request.body, 'occupancy')));
