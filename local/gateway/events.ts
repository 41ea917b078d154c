import { newId, requestTime } from './ids.js';
import type { RequestParts } from './request-parts.js';

/** `requestContext` of an API Gateway WebSocket event (Lambda proxy integration). */
export interface WebSocketRequestContext {
  routeKey: string;
  messageId?: string;
  disconnectStatusCode?: number;
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  extendedRequestId: string;
  requestTime: string;
  messageDirection: 'IN';
  disconnectReason?: string;
  stage: string;
  connectedAt: number;
  requestTimeEpoch: number;
  identity: { sourceIp: string; userAgent: string };
  requestId: string;
  domainName: string;
  connectionId: string;
  apiId: string;
  authorizer?: Record<string, unknown>;
}

export interface WebSocketEvent {
  requestContext: WebSocketRequestContext;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  body?: string;
  isBase64Encoded: boolean;
}

export interface AuthorizerEvent {
  type: 'REQUEST';
  methodArn: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  stageVariables: Record<string, string>;
  requestContext: WebSocketRequestContext;
}

/** What every event of one connection shares. */
export interface ConnectionFacts {
  apiId: string;
  stage: string;
  connectionId: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string;
  domainName: string;
  authorizer?: Record<string, unknown>;
}

export function requestContext(
  facts: ConnectionFacts,
  routeKey: string,
  eventType: WebSocketRequestContext['eventType'],
  extra: Partial<Pick<WebSocketRequestContext, 'messageId' | 'disconnectStatusCode' | 'disconnectReason' | 'requestId'>> = {},
): WebSocketRequestContext {
  const now = Date.now();
  const context: WebSocketRequestContext = {
    routeKey,
    ...(extra.messageId !== undefined ? { messageId: extra.messageId } : {}),
    ...(extra.disconnectStatusCode !== undefined ? { disconnectStatusCode: extra.disconnectStatusCode } : {}),
    eventType,
    extendedRequestId: newId(),
    requestTime: requestTime(now),
    messageDirection: 'IN',
    ...(extra.disconnectReason !== undefined ? { disconnectReason: extra.disconnectReason } : {}),
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: now,
    identity: { sourceIp: facts.sourceIp, userAgent: facts.userAgent },
    requestId: extra.requestId ?? newId(),
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
  };
  if (facts.authorizer) context.authorizer = { ...facts.authorizer };
  return context;
}

export function connectEvent(facts: ConnectionFacts, parts: RequestParts): WebSocketEvent {
  return { ...requestData(parts), requestContext: requestContext(facts, '$connect', 'CONNECT'), isBase64Encoded: false };
}

export function messageEvent(facts: ConnectionFacts, routeKey: string, body: string, isBase64Encoded: boolean, requestId: string): WebSocketEvent {
  const context = requestContext(facts, routeKey, 'MESSAGE', { messageId: newId(), requestId });
  return { requestContext: context, body, isBase64Encoded };
}

export function disconnectEvent(facts: ConnectionFacts, statusCode: number, reason: string): WebSocketEvent {
  // API Gateway sends these few headers on $disconnect, whatever the handshake carried.
  const headers: Record<string, string> = { Host: facts.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' };
  const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
  const context = requestContext(facts, '$disconnect', 'DISCONNECT', { disconnectStatusCode: statusCode, disconnectReason: reason });
  return { headers, multiValueHeaders, requestContext: context, isBase64Encoded: false };
}

export function authorizerEvent(facts: ConnectionFacts, parts: RequestParts, region: string): AuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:${region}:000000000000:${facts.apiId}/${facts.stage}/$connect`,
    ...requestData(parts),
    stageVariables: {},
    requestContext: requestContext(facts, '$connect', 'CONNECT'),
  };
}

function requestData(parts: RequestParts): Pick<AuthorizerEvent, 'headers' | 'multiValueHeaders' | 'queryStringParameters' | 'multiValueQueryStringParameters'> {
  return {
    headers: { ...parts.headers },
    multiValueHeaders: { ...parts.multiValueHeaders },
    ...(parts.queryStringParameters
      ? { queryStringParameters: { ...parts.queryStringParameters }, multiValueQueryStringParameters: { ...parts.multiValueQueryStringParameters } }
      : {}),
  };
}
