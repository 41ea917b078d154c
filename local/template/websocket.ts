import type { TemplateContext } from './context.js';
import { byRef, functionIn } from './lookup.js';
import type { Json, RouteAuthorizer, WebSocketApiModel, WebSocketRoute } from './types.js';

const ROUTE = 'AWS::ApiGatewayV2::Route';

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
  const sources = ctx.prop(logicalId, 'IdentitySource');
  const authorizer: RouteAuthorizer = {
    logicalId,
    type: String(ctx.prop(logicalId, 'AuthorizerType') ?? 'REQUEST'),
    identitySources: Array.isArray(sources) ? sources.map(String) : typeof sources === 'string' ? sources.split(',').map((s) => s.trim()) : [],
  };
  const fn = functionIn(ctx, ctx.prop(logicalId, 'AuthorizerUri'));
  if (fn) authorizer.function = fn;
  return authorizer;
}

/** Every WebSocket API with its stages, routes, integrations, authorizers and route responses. */
export function readWebSocketApis(ctx: TemplateContext): WebSocketApiModel[] {
  const apis = ctx.ofType('AWS::ApiGatewayV2::Api').filter(({ logicalId }) => String(ctx.prop(logicalId, 'ProtocolType')).toUpperCase() === 'WEBSOCKET');
  return apis.map(({ logicalId }) => {
    const id = String(ctx.identity(logicalId, logicalId).ref);
    if (ctx.prop(logicalId, 'Body') !== undefined || ctx.prop(logicalId, 'BodyS3Location') !== undefined) {
      ctx.warnings.push(`Resources.${logicalId}: routes defined in an OpenAPI Body are not read locally`);
    }
    const stages = partsOf(ctx, 'AWS::ApiGatewayV2::Stage', id).map((stage) => String(ctx.identity(stage, stage).ref));
    const routes: Record<string, WebSocketRoute> = {};
    for (const routeId of partsOf(ctx, ROUTE, id)) {
      const path = `Resources.${routeId}.Properties`;
      const routeRef = ctx.identity(routeId, path).ref;
      const routeKey = String(ctx.prop(routeId, 'RouteKey'));
      const route: WebSocketRoute = {
        routeKey,
        logicalId: routeId,
        authorizationType: String(ctx.prop(routeId, 'AuthorizationType') ?? 'NONE'),
        hasRouteResponse: ctx.ofType('AWS::ApiGatewayV2::RouteResponse').some(({ logicalId: rr }) => ctx.prop(rr, 'RouteId') === routeRef),
      };
      const fn = targetFunction(ctx, ctx.prop(routeId, 'Target'), `${path}.Target`);
      if (fn) route.function = fn;
      const authorizer = authorizerOf(ctx, ctx.prop(routeId, 'AuthorizerId'));
      if (authorizer) route.authorizer = authorizer;
      const selection = ctx.prop(routeId, 'RouteResponseSelectionExpression');
      if (typeof selection === 'string') route.routeResponseSelectionExpression = selection;
      if (routes[routeKey]) ctx.warnings.push(`${path}.RouteKey: ${routeKey} is defined twice; the last one wins`);
      routes[routeKey] = route;
    }
    return {
      logicalId,
      id,
      name: String(ctx.prop(logicalId, 'Name') ?? logicalId),
      routeSelectionExpression: String(ctx.prop(logicalId, 'RouteSelectionExpression') ?? '$request.body.action'),
      stageName: stages[0] ?? '$default',
      stages,
      routes,
    };
  });
}
