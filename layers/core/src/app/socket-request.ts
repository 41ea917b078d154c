/** What a WebSocket route's use case needs from the API Gateway event. */
export interface SocketRequest {
  routeKey: string;
  connectionId: string;
  body: string | undefined;
  headers: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  authorizer: Record<string, unknown> | undefined;
  /** The management API endpoint of the connection's API and stage. */
  connectionsEndpoint: string;
}
