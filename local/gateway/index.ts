/**
 * # The local WebSocket gateway
 *
 * `sam local` cannot run WebSocket APIs, so the local cloud puts this gateway in front of
 * the handlers. It behaves like an Amazon API Gateway WebSocket API with Lambda proxy
 * integrations; the `invoke` callback runs a function and is the only way out.
 *
 * ## What it emulates
 * - Endpoint `ws://HOST:PORT/{stage}` (just `/` for a `$default` stage); the query string
 *   goes to the authorizer and `$connect`. Any other path is refused with 403.
 * - Connection, request, message ids shaped like API Gateway's: 15 base64 characters and
 *   a `=` (`TvBZ0c5TDoECFQg=`), unique among open connections.
 * - Events in API Gateway's WebSocket shape: `requestContext` (routeKey, eventType,
 *   messageId, extendedRequestId, requestTime, messageDirection, stage, connectedAt,
 *   requestTimeEpoch, identity {sourceIp, userAgent}, requestId, domainName = the Host
 *   header, connectionId, apiId, authorizer); `$connect` gets `headers` and
 *   `multiValueHeaders` in the case the client sent them, and `queryStringParameters` /
 *   `multiValueQueryStringParameters` (left out when there is no query string); a
 *   message gets `body` and `isBase64Encoded`; `$disconnect` gets
 *   `disconnectStatusCode` / `disconnectReason`.
 * - REQUEST authorizer on `$connect`: a missing identity source (header or query string)
 *   is 401 without invoking it; a failure `Unauthorized` is 401, any other failure, a
 *   missing principalId, a non-scalar context value or a policy that is no policy is
 *   500; a policy that does not allow `execute-api:Invoke` on
 *   `arn:aws:execute-api:REGION:000000000000:API/STAGE/$connect` (an explicit Deny wins,
 *   IAM wildcards `*`/`?`) is 403. When allowed, its context plus principalId and
 *   integrationLatency is `requestContext.authorizer` of every later event.
 * - `$connect`: the 101 is sent only after it returns a 2xx statusCode or none; any other
 *   statusCode refuses the handshake with that status (and the function's body); a
 *   failure or a statusCode that is no HTTP status refuses with 500. No `$connect`
 *   route: accepted. Until the 101, the connection id exists but is not connected:
 *   @connections answers 410 for it (as AWS does for a post from `$connect`).
 * - Subprotocols: the `Sec-WebSocket-Protocol` header of the `$connect` result is passed
 *   into the 101 as it is, as API Gateway does. A client that offered subprotocols and
 *   got none (or one it did not offer) fails the handshake itself, as browsers and `ws`
 *   do; since the 101 was sent, `$disconnect` follows (1006).
 * - Route selection: `$request.body.<dot.path>` or a template of `${request.body.x}`
 *   parts; a string, number or boolean value picks the route of that key; a body that is
 *   not JSON, a missing value, an unknown key or `$connect`/`$disconnect` goes to
 *   `$default`; a binary frame closes the connection with 1003, as API Gateway does. No `$default`: the client gets
 *   `{"message": "Forbidden", "connectionId":"...", "requestId":"..."}`.
 * - Messages of one connection are dispatched as they arrive (after the throttle), each
 *   invocation on its own, as API Gateway does: several of one connection may be in flight
 *   at once, and each answer (route response or error frame) is sent when its own
 *   invocation finishes, so answers may come in another order than their messages. A
 *   client that needs order waits for each answer. `serializeMessages: true` handles them
 *   one at a time, in order instead (for debugging). `$connect` has returned before any
 *   message is routed: the socket opens only then.
 * - Route responses (routes with hasRouteResponse): a string result, or the `body` of a
 *   `{statusCode, body}` result, is sent back as a text frame; the statusCode is ignored.
 *   A function error on any message route sends
 *   `{"message": "Internal server error", "connectionId":"...", "requestId":"..."}`; a
 *   function that outlives the integration timeout (29 s, `limits.integrationTimeoutMs`)
 *   sends `{"message": "Endpoint request timed out", ...}` and runs on, its answer dropped.
 * - Limits (all configurable): a frame over 32 KB or a message over 128 KB closes with
 *   1009; 10 minutes without a data frame in either direction closes with 1001
 *   `Going away` (ping/pong frames do not count); 2 hours after connecting, 1001 `Going
 *   away`; over 500 new connections in one wall-clock second the handshake is refused
 *   with 429; one token bucket (10,000/s refill, 5,000 burst) is shared by incoming
 *   messages and @connections calls.
 * - `$disconnect` on every close of an opened connection (client, server, limits, DELETE,
 *   `close()`, dropped sockets), with the close code and reason; its result is ignored.
 *   Not at all with `dropDisconnect` (option or fault).
 * - @connections at `/{stage}/@connections/{id}` (`@` may be sent as `%40`), the wire
 *   format of the ApiGatewayManagementApi: POST sends the body as one text frame (200;
 *   over 128 KB: 413 PayloadTooLargeException); GET answers
 *   `{"connectedAt","identity":{"sourceIp","userAgent"},"lastActiveAt"}` (ISO dates,
 *   the SDK turns them into ConnectedAt, Identity, LastActiveAt); DELETE closes with
 *   1000 and answers 204. An unknown, closed or still-connecting id answers 410
 *   GoneException (`{"message":null}`); throttled calls 429 LimitExceededException.
 *   Errors carry `x-amzn-ErrorType`, which the SDK turns into its exception classes
 *   (proven with @aws-sdk/client-apigatewaymanagementapi in the tests). Other methods
 *   under @connections answer 403.
 * - With `credentials`, @connections requests must carry a valid SigV4 signature for
 *   execute-api in the gateway's region, checked by the verifier the HTTP API uses
 *   (local/shared/sigv4): in the Authorization header or a presigned URL's query, dated
 *   within 5 minutes (a presigned URL: within its X-Amz-Expires), recomputed from the
 *   request as received (x-amz-content-sha256 checked against the body). Anything else:
 *   403 ForbiddenException `{"message":"Forbidden"}`, with API Gateway's reason in the log.
 * - Every error answer comes from one table, MANAGEMENT_API_ERRORS (name, status, message).
 * - Faults: `postStatus` (410/429/500 answered in the AWS shape for a share of posts,
 *   optionally only `count` of them, without delivering), `postDelayMs`, `dropSockets`
 *   (every open socket dropped without a close frame; $disconnect says 1006),
 *   `dropDisconnect`, `down` (a region's outage: the sockets dropped as with
 *   `dropSockets`, handshakes refused with 503 until it is cleared).
 *
 * ## Choices where API Gateway is unspecified, and known differences
 * - `$disconnect` runs once the connection's message invocations in flight have finished
 *   (or timed out), so handlers see it last; API Gateway runs it at once, alongside them.
 *   Those invocations run on after the close, as on AWS: their answers are dropped and what
 *   they post to the connection gets 410.
 * - With `serializeMessages`, a connection's messages wait for the ones before it (API
 *   Gateway never does this); `$disconnect` then also waits for the messages not yet started.
 * - A throttled message is not delivered; the client gets
 *   `{"message": "Too Many Requests", "connectionId":"...", "requestId":"..."}`. The
 *   handshake is not counted against the token bucket, only against the connect rate.
 * - Close codes and reasons: DELETE 1000 `Connection Closed Normally`; idle, maximum
 *   duration and `close()` 1001 `Going away`; frame/message too big 1009; a client close
 *   reports the client's code and reason (1006 `Connection Closed Abnormally` when it
 *   just went away). AWS's exact reason texts may differ.
 * - Refused handshakes answer a small JSON body (`{"message":"Unauthorized"}` ...), a
 *   wrong path 403, a malformed upgrade 400, a closing gateway 503.
 * - The connect rate counts every well-formed handshake on the right path, including
 *   the ones the authorizer or `$connect` then refuse.
 * - @connections checks, in this order: body size (POST, 413, before the signature),
 *   signature (403), method (403), token bucket (429), injected delay and status (POST),
 *   connection (410). The injected delay and status apply to POST only.
 * - A client that goes away while `$connect` runs gets no `$disconnect` (it never
 *   connected).
 * - Messages to clients are sent as one frame whatever their size.
 * - The connect rate is counted per wall-clock second, not as a sliding window.
 * - The account id in ARNs is 000000000000; there are no stage variables, no API keys,
 *   no authorizer caching, no X-Forwarded-* / X-Amzn-Trace-Id headers, no
 *   permessage-deflate, no custom domains, no access logs, no integration timeout on
 *   `$connect`, no per-route throttling, and no request/response templates or non-Lambda
 *   integrations.
 * - The identity of an event holds sourceIp and userAgent only.
 * - `postStatus.share` draws with Math.random; use 0 or 1 for determinism.
 */
export { createGateway } from './gateway.js';
export { startGateway } from './start.js';
export { DEFAULT_LIMITS } from './limits.js';
export {
  MANAGEMENT_API_ERRORS,
  MANAGEMENT_API_ERROR_TYPES,
  POST_FAULT_STATUSES,
  isPostFaultStatus,
  managementErrorOf,
  postFaultStatusList,
  sendManagementError,
  type ManagementApiError,
  type ManagementApiErrorName,
  type PostFaultStatus,
} from './management-errors.js';
export type { AuthorizerEvent, WebSocketEvent, WebSocketRequestContext } from './events.js';
export type {
  FaultControls,
  FaultSettings,
  Gateway,
  GatewayAuthorizer,
  GatewayCredentials,
  GatewayLimits,
  GatewayOptions,
  GatewayRoute,
  PostStatusFault,
  StartedGateway,
  StartGatewayOptions,
} from './types.js';
