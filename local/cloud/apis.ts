/** The template's WebSocket API and HTTP API as the local gateway and HTTP API take them. */
import type { GatewayAuthorizer, GatewayRoute } from '../gateway/index.js';
import type { HttpRoute } from '../http-api/index.js';
import type { TemplateModel, WebSocketApiModel } from '../template/index.js';

export interface WebSocketPlan {
  api: WebSocketApiModel;
  routes: GatewayRoute[];
  authorizer?: GatewayAuthorizer;
}

export function webSocketPlan(model: TemplateModel, warnings: string[]): WebSocketPlan | undefined {
  const [api, ...others] = model.websocketApis;
  if (others.length > 0) warnings.push(`WebSocket APIs ${others.map((item) => item.logicalId).join(', ')}: only the first one (${api?.logicalId}) runs locally`);
  if (!api) return undefined;
  const routes: GatewayRoute[] = [];
  for (const route of Object.values(api.routes)) {
    if (!route.function) {
      warnings.push(`${api.logicalId} route ${route.routeKey}: its integration is not a Lambda function of this template: not run locally`);
      continue;
    }
    routes.push({ routeKey: route.routeKey, target: route.function, hasRouteResponse: route.hasRouteResponse });
  }
  const connect = api.routes.$connect?.authorizer;
  if (connect && !connect.function) warnings.push(`${api.logicalId} authorizer ${connect.logicalId}: not a Lambda REQUEST authorizer of this template: $connect runs without it`);
  const authorizer = connect?.function ? { target: connect.function, identitySources: connect.identitySources } : undefined;
  return { api, routes, ...(authorizer ? { authorizer } : {}) };
}

export interface HttpPlan {
  id: string;
  stage: string;
  routes: HttpRoute[];
}

export function httpPlan(model: TemplateModel, warnings: string[]): HttpPlan | undefined {
  const [api, ...others] = model.httpApis;
  if (others.length > 0) warnings.push(`HTTP APIs ${others.map((item) => item.logicalId).join(', ')}: only the first one (${api?.logicalId}) runs locally`);
  if (!api) return undefined;
  const routes: HttpRoute[] = [];
  for (const route of api.routes) {
    const key = `${api.logicalId} ${route.method} ${route.path}`;
    if (!route.function) warnings.push(`${key}: no Lambda function of this template behind it: not run locally`);
    else if (route.auth.type !== 'AWS_IAM' && route.auth.type !== 'NONE') warnings.push(`${key}: ${route.auth.type} authorization is not emulated: not run locally`);
    else routes.push({ method: route.method, path: route.path, target: route.function, auth: route.auth.type });
  }
  return { id: api.id, stage: api.stageName, routes };
}
