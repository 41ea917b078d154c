/**
 * SAM's `AWS::Serverless::WebSocketApi`: the resources the SAM translator generates from
 * it, under the logical ids it gives them, so that the template's other resources may
 * name them (a RouteResponse's `RouteId: !Ref MyApiSubscribeRoute`, `!Ref MyApi.Stage`).
 */
import type { Json, JsonObject } from './types.js';

export const SAM_WEBSOCKET_API = 'AWS::Serverless::WebSocketApi';

/** The stage SAM creates when StageName is left out (it refuses `$default` for WebSocket APIs). */
export const SAM_DEFAULT_STAGE = 'default';

const SPECIAL_ROUTES = ['$connect', '$disconnect', '$default'];

/** A resource SAM generates: its type and the properties the local cloud needs of it. */
export interface GeneratedResource {
  type: string;
  properties: JsonObject;
}

/**
 * The part of the generated logical ids that stands for a route key: `$connect` ->
 * `Connect`, `subscribe` -> `Subscribe`, `presenceUpdate` -> `Presenceupdate` (the rest
 * lower-cased, as SAM does). Undefined for a key SAM refuses (not alphanumeric).
 */
export function routeKeyPart(routeKey: string): string | undefined {
  const word = SPECIAL_ROUTES.includes(routeKey) ? routeKey.slice(1) : /^[A-Za-z0-9]+$/.test(routeKey) ? routeKey : undefined;
  return word === undefined ? undefined : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** The logical id of the route SAM generates for `routeKey`. */
export function routeLogicalId(api: string, routeKey: string): string | undefined {
  const part = routeKeyPart(routeKey);
  return part === undefined ? undefined : `${api}${part}Route`;
}

/** `<Api>Stage` when StageName is an intrinsic, `<Api><name>Stage` for a literal, `<Api>DefaultStage` for SAM's default. */
export function stageLogicalId(api: string, stageName: Json | undefined): string {
  const name = stageName ?? SAM_DEFAULT_STAGE;
  if (name === SAM_DEFAULT_STAGE) return `${api}DefaultStage`;
  return typeof name === 'string' ? `${api}${name}Stage` : `${api}Stage`;
}

/** The authorizer SAM generates from `Auth` (AuthType CUSTOM). */
export const authorizerLogicalId = (api: string): string => `${api}ConnectAuthorizer`;

/**
 * Every resource SAM generates from the API `api` with these properties (as written, not
 * resolved), by logical id: per route a Route, an Integration and a Lambda Permission; the
 * stage; with `Auth`, the authorizer and its permission; with `Domain`, the API mapping.
 */
export function samWebSocketParts(api: string, properties: JsonObject): Map<string, GeneratedResource> {
  const apiId: Json = { Ref: api };
  const parts = new Map<string, GeneratedResource>();
  const routes = mapping(properties.Routes);
  for (const routeKey of Object.keys(routes)) {
    const part = routeKeyPart(routeKey);
    if (part === undefined) continue;
    parts.set(`${api}${part}Route`, { type: 'AWS::ApiGatewayV2::Route', properties: { ApiId: apiId, RouteKey: routeKey } });
    parts.set(`${api}${part}Integration`, { type: 'AWS::ApiGatewayV2::Integration', properties: { ApiId: apiId } });
    parts.set(`${api}${part}Permission`, { type: 'AWS::Lambda::Permission', properties: {} });
  }
  parts.set(stageLogicalId(api, properties.StageName), {
    type: 'AWS::ApiGatewayV2::Stage',
    properties: { ApiId: apiId, StageName: properties.StageName ?? SAM_DEFAULT_STAGE },
  });
  if (properties.Auth !== undefined) {
    parts.set(authorizerLogicalId(api), { type: 'AWS::ApiGatewayV2::Authorizer', properties: { ApiId: apiId } });
    parts.set(`${api}AuthorizerPermission`, { type: 'AWS::Lambda::Permission', properties: {} });
  }
  if (properties.Domain !== undefined) parts.set(`${api}ApiMapping`, { type: 'AWS::ApiGatewayV2::ApiMapping', properties: {} });
  return parts;
}

/** `!Ref <Api>.Stage`: the logical id of the generated resource such a reference stands for. */
export function referableProperty(api: string, properties: JsonObject, property: string): string | undefined {
  return property === 'Stage' ? stageLogicalId(api, properties.StageName) : undefined;
}

function mapping(value: Json | undefined): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}
