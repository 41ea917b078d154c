/** Public types of the local HTTP API (payload format 2.0). */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HttpRoute {
  /** `GET`, `POST`, ... or `ANY`; ignored for the `$default` route. */
  method: string;
  /** `/rooms/{room}/messages`, `/{proxy+}`, or `$default`. */
  path: string;
  /** What `invoke` runs for this route (a function name, for instance). */
  target: string;
  auth: 'AWS_IAM' | 'NONE';
}

export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface HttpApiOptions {
  apiId: string;
  region: string;
  /** `$default` (no stage in the URL) unless named; a named stage prefixes every path. */
  stage?: string;
  /** The account id the events carry (default `000000000000`). */
  accountId?: string;
  routes: HttpRoute[];
  /** Runs a Lambda handler with the event; rejects on a function error. */
  invoke(target: string, event: unknown): Promise<unknown>;
  /** The local account's credentials: AWS_IAM routes accept requests SigV4-signed with them. */
  credentials: LocalCredentials;
  /** Largest request body accepted (default 10 MB, as API Gateway). */
  maxBodyBytes?: number;
  /** How long an invocation may take before the client gets a 503 (default 30 s). */
  integrationTimeoutMs?: number;
  /** One line per request (an access log) and one per integration failure. */
  log?(line: string): void;
}

export interface HttpApi {
  /**
   * Answers one request, always (a request no route matches gets API Gateway's 404).
   * Resolves true when a route took the request, false when it was answered 404.
   */
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Refuses new requests (503) and waits for the ones under way. */
  close(): Promise<void>;
}

export interface StartHttpApiOptions extends HttpApiOptions {
  /** 0 or unset: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface StartedHttpApi {
  api: HttpApi;
  /** `http://host:port` without a trailing slash (and without the stage). */
  url: string;
  close(): Promise<void>;
}

/** The IAM identity API Gateway puts in `requestContext.authorizer` for AWS_IAM routes. */
export interface IamAuthorizer {
  iam: {
    accessKey: string;
    accountId: string;
    callerId: string;
    cognitoIdentity: null;
    principalOrgId: string | null;
    userArn: string;
    userId: string;
  };
}

/** The event an HTTP API sends to a Lambda integration (payload format 2.0). */
export interface HttpApiEventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    authorizer?: IamAuthorizer;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}
