/** roomcast's client for browsers (and Node 22+, whose WebSocket is global). */
export { connect } from './client.js';
export { RoomcastClientError, type ClientErrorCode } from './errors.js';
export type {
  Backoff,
  ClientEvents,
  ClientState,
  Clock,
  ConnectOptions,
  RoomcastClient,
  RoomMessage,
  SubscribeOptions,
  WebSocketConstructor,
  WebSocketLike,
} from './types.js';
