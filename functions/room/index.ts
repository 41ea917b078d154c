import { appFromEnv, httpHandler, roomOccupancy, roomsOccupancy } from '@roomcast/core';

const app = appFromEnv();

/** GET /rooms/{room} and POST /occupancy: rooms' connections and principals, for services. */
export const handler = httpHandler(app, (request) => (request.routeKey.startsWith('POST') ? roomsOccupancy(app, request) : roomOccupancy(app, request)));
