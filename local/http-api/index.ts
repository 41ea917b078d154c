/**
 * Local Amazon API Gateway HTTP API (Lambda proxy integrations, payload format 2.0).
 *
 * What is emulated
 * - Routes `METHOD /path` with `{param}` segments, a trailing greedy `{name+}`, the `ANY`
 *   method and a `$default` catch-all. The most specific route wins: segment by segment a
 *   literal beats `{param}` beats `{greedy+}`; on equal paths a named method beats `ANY`;
 *   `$default` comes last. Nothing matches: 404 `{"message":"Not Found"}`.
 * - Stages: `$default` (no stage in the URL) or a named stage that prefixes every path.
 * - The event: version, routeKey, rawPath, rawQueryString, cookies (the `cookie` headers,
 *   split, and removed from `headers`), headers (lower-cased, repeated headers joined with
 *   commas, plus x-forwarded-for/-port/-proto and x-amzn-trace-id), queryStringParameters
 *   (decoded, repeated keys joined with commas), pathParameters, requestContext (accountId,
 *   apiId, authorizer.iam on AWS_IAM routes, domainName, domainPrefix, http, requestId,
 *   routeKey, stage, time, timeEpoch), body and isBase64Encoded. Fields with nothing to
 *   carry (cookies, queryStringParameters, pathParameters, body) are left out, as AWS does.
 * - Decoding: the path is percent-decoded once before routing (AWS: "API Gateway decodes
 *   URL-encoded request parameters before passing them to your backend integration"), so
 *   pathParameters and rawPath are decoded, and `%2F` splits segments as `/` does.
 * - Bodies: text (text/*, JSON, +json, XML, +xml, application/javascript) is passed as is;
 *   anything else, a missing content type and form posts included, as base64 with
 *   isBase64Encoded true.
 * - AWS_IAM routes: SigV4 (AWS4-HMAC-SHA256) in the Authorization header or in a presigned
 *   URL's query, checked by the verifier the gateway's @connections API uses too
 *   (local/shared/sigv4): recomputed with @smithy/signature-v4 from the method, the path
 *   as sent, the query, the headers named in SignedHeaders and the payload hash, for
 *   service `execute-api`, this API's region and the local credentials.
 *   x-amz-content-sha256 is honoured (UNSIGNED-PAYLOAD allowed) and must match the body.
 *   Answers, all 403: no signature `Forbidden`; another access key `The security token
 *   included in the request is invalid.`; bad signature `The request signature we
 *   calculated does not match ...` followed by the canonical string and string to sign, as
 *   AWS writes them; clock more than 5 minutes off `Signature expired: ...` / `Signature
 *   not yet current: ...` (a presigned URL expires after its X-Amz-Expires instead);
 *   incomplete headers `Authorization header requires 'Credential' parameter. ...`; a
 *   header that is not key=value pairs (a bearer token) `Invalid key=value pair ...`;
 *   wrong scope `Credential should be scoped to ...`; a signed header not sent `Signed
 *   header '...' is missing from the request.`.
 * - Responses: an object with statusCode is used as is (headers, cookies as set-cookie,
 *   body, isBase64Encoded); any other value is a 200 application/json whose body is the
 *   value as JSON (a string as is). A rejected invocation or an invalid response (bad
 *   statusCode, non-string body, bad headers or cookies): 500 `Internal Server Error`.
 *   Every answer carries `apigw-requestid`.
 * - Limits: a body over maxBodyBytes (10 MB) is 413 `Request Entity Too Large`; an
 *   invocation longer than integrationTimeoutMs (30 s) is 503 `Service Unavailable` (the
 *   invocation itself keeps running, as a Lambda function does).
 *
 * Known differences from AWS
 * - Plain HTTP on one port; requestContext.domainName is the Host header without port, and
 *   domainPrefix its first label. No custom domains, API mappings, mTLS, CORS, throttling,
 *   JWT or Lambda authorizers, stage variables, or parameter mapping.
 * - Only the local account's access key is known; an x-amz-security-token is signed like
 *   any header but not checked against STS. The IAM identity is the account root:
 *   userArn `arn:aws:iam::<account>:root`, callerId and userId the account id,
 *   principalOrgId null. No IAM policy is evaluated: a valid signature is enough.
 * - Error message wording follows what AWS returns as far as it is known; the less common
 *   ones (malformed Credential, presigned-URL parameter errors, the order of the checks)
 *   are approximations.
 * - AWS truncates a path at a decoded `?` (`%3F`); here it is kept. Trailing slashes are
 *   not ignored (`/rooms/a/messages/` does not match `/rooms/{room}/messages`). A GET route
 *   does not take HEAD. `+` in a query string stays a plus.
 * - A response with a body and no content-type gets `text/plain; charset=utf-8`; AWS's
 *   exact default here is not documented. A function result of undefined is answered as
 *   a 200 with body `null` (what Lambda serialises it to).
 * - 413 is decided from Content-Length before the body is read, or while reading it.
 */
export type {
  HttpApi,
  HttpApiEventV2,
  HttpApiOptions,
  HttpRoute,
  IamAuthorizer,
  LocalCredentials,
  StartHttpApiOptions,
  StartedHttpApi,
} from './types.js';
export { createHttpApi, DEFAULT_INTEGRATION_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES } from './api.js';
export { startHttpApi } from './server.js';
export { signedFetch, signHeaders, type SigningOptions } from './sign.js';
