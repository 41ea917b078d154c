/**
 * What the local cloud tells about the application it runs: its APIs and their routes, its
 * tables and queues, and whether it is roomcast itself (then the dev token, roomcast's
 * commands and the console's room panels apply). Any other SAM WebSocket application gets
 * a description of its own, without them.
 */
import type { TemplateModel } from '../template/index.js';

export interface ApplicationInfo {
  /** roomcast's own application: it takes the local token secret (JwtSecretRef) and serves roomcast's protocol. */
  roomcast: boolean;
  /** The WebSocket API that runs: its name and route keys, in template order. */
  webSocketApi?: { name: string; routes: string[] };
  /** The HTTP API that runs: its name and routes (`POST /rooms/{room}/messages`). */
  httpApi?: { name: string; routes: string[] };
  /** The tables' and queues' local names. */
  tables: string[];
  queues: string[];
}

/** roomcast's routes and publish path: when they are all there, roomcast's commands work. */
const ROOMCAST_ROUTES = ['subscribe', 'unsubscribe'];
const ROOMCAST_PUBLISH = /^POST \/rooms\/\{[^}]+\}\/messages$/;

export function describeApplication(model: TemplateModel): ApplicationInfo {
  const [ws] = model.websocketApis;
  const [http] = model.httpApis;
  const routes = ws ? Object.keys(ws.routes) : [];
  const httpRoutes = http ? http.routes.map((route) => `${route.method} ${route.path}`) : [];
  const roomcast = ROOMCAST_ROUTES.every((key) => routes.includes(key)) && httpRoutes.some((route) => ROOMCAST_PUBLISH.test(route));
  return {
    roomcast,
    ...(ws ? { webSocketApi: { name: ws.name, routes } } : {}),
    ...(http ? { httpApi: { name: http.logicalId, routes: httpRoutes } } : {}),
    tables: model.tables.map((table) => table.name),
    queues: model.queues.map((queue) => queue.name),
  };
}
