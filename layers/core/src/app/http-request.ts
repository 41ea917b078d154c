/** What an HTTP route's use case needs from an HTTP API (payload 2.0) event. */
export interface HttpRequest {
  routeKey: string;
  pathParameters: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: string | undefined;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}
