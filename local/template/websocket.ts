import { asObject, type TemplateContext } from './context.js';
import { byRef, functionIn } from './lookup.js';
import { authorizerLogicalId, routeLogicalId, SAM_DEFAULT_STAGE, SAM_WEBSOCKET_API } from './sam-websocket.js';
import type { Json, JsonObject, RouteAuthorizer, RouteThrottling, WebSocketApiModel, WebSocketRoute } from './types.js';

const API = 'AWS::ApiGatewayV2::Api';
const ROUTE = 'AWS::ApiGatewayV2::Route';
const STAGE = 'AWS::ApiGatewayV2::Stage';

/** The ApiGatewayV2 resources (of one of `types`) that belong to the API with this id. */
export function partsOf(ctx: TemplateContext, type: string, apiId: string): string[] {
  return ctx.ofType(type).filter(({ logicalId }) => ctx.prop(logicalId, 'ApiId') === apiId).map(({ logicalId }) => logicalId);
}

/** `integrations/<id>` -> the function behind that integration's IntegrationUri. */
export function targetFunction(ctx: TemplateContext, target: Json | undefined, path: string): string | undefined {
  if (typeof target !== 'string') return undefined;
  const integration = byRef(ctx, ['AWS::ApiGatewayV2::Integration'], target.replace(/^integrations\//, ''));
  const fn = integration ? functionIn(ctx, ctx.prop(integration, 'IntegrationUri')) : undefined;
  if (!fn) ctx.warnings.push(`${path}: target ${target} is not a Lambda integration of this template; the route answers nothing locally`);
  return fn;
}

export function authorizerOf(ctx: TemplateContext, authorizerId: Json | undefined): RouteAuthorizer | undefined {
  const logicalId = byRef(ctx, ['AWS::ApiGatewayV2::Authorizer'], authorizerId);
  if (!logicalId) return undefined;
  const authorizer: RouteAuthorizer = {
    logicalId,
    type: String(ctx.prop(logicalId, 'AuthorizerType') ?? 'REQUEST'),
    identitySources: identitySources(ctx.prop(logicalId, 'IdentitySource')),
  };
  const fn = functionIn(ctx, ctx.prop(logicalId, 'AuthorizerUri'));
  if (fn) authorizer.function = fn;
  return authorizer;
}

/**
 * Every WebSocket API with its stage, routes, integrations, authorizers and route
 * responses, in template order: SAM's `AWS::Serverless::WebSocketApi` (its `Routes`,
 * `Auth`, `StageName`, `DefaultRouteSettings`) and plain ApiGatewayV2 APIs. Route,
 * RouteResponse and Stage resources that name an API by its id belong to it, whichever
 * form it has.
 */
export function readWebSocketApis(ctx: TemplateContext): WebSocketApiModel[] {
  const apis = ctx.ofType(SAM_WEBSOCKET_API, API).filter(({ logicalId, type }) => type === SAM_WEBSOCKET_API || String(ctx.prop(logicalId, 'ProtocolType')).toUpperCase() === 'WEBSOCKET');
  return apis.map(({ logicalId, type }) => (type === SAM_WEBSOCKET_API ? samApi(ctx, logicalId) : plainApi(ctx, logicalId)));
}

type ReadRoute = [route: WebSocketRoute, path: string];

function plainApi(ctx: TemplateContext, logicalId: string): WebSocketApiModel {
  const id = String(ctx.identity(logicalId, logicalId).ref);
  if (ctx.prop(logicalId, 'Body') !== undefined || ctx.prop(logicalId, 'BodyS3Location') !== undefined) {
    ctx.warnings.push(`Resources.${logicalId}: routes defined in an OpenAPI Body are not read locally`);
  }
  const stageIds = partsOf(ctx, STAGE, id);
  const stages = stageIds.map((stage) => String(ctx.identity(stage, stage).ref));
  const [first] = stageIds;
  const throttling = first ? throttlingOf(ctx.prop(first, 'DefaultRouteSettings'), `Resources.${first}.Properties.DefaultRouteSettings`) : undefined;
  return {
    logicalId,
    id,
    name: String(ctx.prop(logicalId, 'Name') ?? logicalId),
    routeSelectionExpression: String(ctx.prop(logicalId, 'RouteSelectionExpression') ?? '$request.body.action'),
    stageName: stages[0] ?? '$default',
    stages,
    routes: byKey(ctx, plainRoutes(ctx, id)),
    ...(throttling ? { throttling } : {}),
  };
}

function samApi(ctx: TemplateContext, logicalId: string): WebSocketApiModel {
  const path = `Resources.${logicalId}.Properties`;
  const id = String(ctx.identity(logicalId, path).ref);
  const stages = [String(ctx.prop(logicalId, 'StageName') ?? SAM_DEFAULT_STAGE), ...partsOf(ctx, STAGE, id).map((stage) => String(ctx.identity(stage, stage).ref))];
  const throttling = throttlingOf(ctx.prop(logicalId, 'DefaultRouteSettings'), `${path}.DefaultRouteSettings`);
  return {
    logicalId,
    id,
    name: String(ctx.prop(logicalId, 'Name') ?? logicalId),
    routeSelectionExpression: String(ctx.prop(logicalId, 'RouteSelectionExpression') ?? '$request.body.action'),
    stageName: stages[0] ?? SAM_DEFAULT_STAGE,
    stages,
    routes: byKey(ctx, [...samRoutes(ctx, logicalId, path), ...plainRoutes(ctx, id)]),
    ...(throttling ? { throttling } : {}),
  };
}

/** AWS::ApiGatewayV2::Route resources of the API with this id. */
function plainRoutes(ctx: TemplateContext, apiId: string): ReadRoute[] {
  return partsOf(ctx, ROUTE, apiId).map((routeId) => {
    const path = `Resources.${routeId}.Properties`;
    const route: WebSocketRoute = {
      routeKey: String(ctx.prop(routeId, 'RouteKey')),
      logicalId: routeId,
      authorizationType: String(ctx.prop(routeId, 'AuthorizationType') ?? 'NONE'),
      hasRouteResponse: hasRouteResponse(ctx, ctx.identity(routeId, path).ref),
    };
    const fn = targetFunction(ctx, ctx.prop(routeId, 'Target'), `${path}.Target`);
    if (fn) route.function = fn;
    const authorizer = authorizerOf(ctx, ctx.prop(routeId, 'AuthorizerId'));
    if (authorizer) route.authorizer = authorizer;
    const selection = ctx.prop(routeId, 'RouteResponseSelectionExpression');
    if (typeof selection === 'string') route.routeResponseSelectionExpression = selection;
    return [route, `${path}.RouteKey`];
  });
}

/** The `Routes` of a SAM WebSocket API; its `Auth` applies to `$connect`. */
function samRoutes(ctx: TemplateContext, api: string, path: string): ReadRoute[] {
  const routes = asObject(ctx.prop(api, 'Routes'), `${path}.Routes`);
  const auth = asObject(ctx.prop(api, 'Auth'), `${path}.Auth`);
  if (Object.keys(auth).length > 0 && !('$connect' in routes)) ctx.warnings.push(`${path}.Auth: SAM authorizes a $connect route only, and Routes has none`);
  const out: ReadRoute[] = [];
  for (const [routeKey, raw] of Object.entries(routes)) {
    const routePath = `${path}.Routes.${routeKey}`;
    const logicalId = routeLogicalId(api, routeKey);
    if (!logicalId) {
      ctx.warnings.push(`${routePath}: SAM takes $connect, $disconnect, $default and alphanumeric route keys only; not read`);
      continue;
    }
    const spec = asObject(raw, routePath);
    const route: WebSocketRoute = { routeKey, logicalId, authorizationType: 'NONE', hasRouteResponse: hasRouteResponse(ctx, ctx.identity(logicalId, routePath).ref) };
    const fn = functionIn(ctx, spec.FunctionArn);
    if (fn) route.function = fn;
    else ctx.warnings.push(`${routePath}.FunctionArn: not a function of this template; the route answers nothing locally`);
    if (typeof spec.RouteResponseSelectionExpression === 'string') route.routeResponseSelectionExpression = spec.RouteResponseSelectionExpression;
    if (routeKey === '$connect') authorize(ctx, api, auth, route, `${path}.Auth`);
    out.push([route, routePath]);
  }
  return out;
}

/** SAM's `Auth` on `$connect`: `AuthType` CUSTOM (a REQUEST authorizer on `AuthArn`), AWS_IAM or NONE. */
function authorize(ctx: TemplateContext, api: string, auth: JsonObject, route: WebSocketRoute, path: string): void {
  const type = auth.AuthType;
  if (type === undefined) {
    if (Object.keys(auth).length > 0) ctx.warnings.push(`${path}: no AuthType; $connect is read without authorization`);
    return;
  }
  if (type === 'CUSTOM') {
    const authorizer: RouteAuthorizer = { logicalId: authorizerLogicalId(api), type: 'REQUEST', identitySources: identitySources(auth.IdentitySource) };
    const fn = functionIn(ctx, auth.AuthArn);
    if (fn) authorizer.function = fn;
    route.authorizationType = 'CUSTOM';
    route.authorizer = authorizer;
  } else if (type === 'AWS_IAM' || type === 'NONE') {
    route.authorizationType = type;
  } else {
    ctx.warnings.push(`${path}.AuthType: ${JSON.stringify(type)} is not CUSTOM, AWS_IAM or NONE; $connect is read without authorization`);
  }
}

function byKey(ctx: TemplateContext, routes: ReadRoute[]): Record<string, WebSocketRoute> {
  const out: Record<string, WebSocketRoute> = {};
  for (const [route, path] of routes) {
    if (out[route.routeKey]) ctx.warnings.push(`${path}: ${route.routeKey} is defined twice; the last one wins`);
    out[route.routeKey] = route;
  }
  return out;
}

function hasRouteResponse(ctx: TemplateContext, routeRef: Json): boolean {
  return ctx.ofType('AWS::ApiGatewayV2::RouteResponse').some(({ logicalId }) => ctx.prop(logicalId, 'RouteId') === routeRef);
}

function identitySources(sources: Json | undefined): string[] {
  if (Array.isArray(sources)) return sources.map(String);
  return typeof sources === 'string' ? sources.split(',').map((source) => source.trim()) : [];
}

function throttlingOf(settings: Json | undefined, path: string): RouteThrottling | undefined {
  const given = asObject(settings, path);
  const throttling: RouteThrottling = {};
  if (given.ThrottlingBurstLimit !== undefined) throttling.burstLimit = Number(given.ThrottlingBurstLimit);
  if (given.ThrottlingRateLimit !== undefined) throttling.rateLimit = Number(given.ThrottlingRateLimit);
  return Object.keys(throttling).length > 0 ? throttling : undefined;
}
