import { asObject, type TemplateContext } from './context.js';
import { merge } from './globals.js';
import { functionIn } from './lookup.js';
import type { FunctionModel, HttpApiModel, HttpRoute, JsonObject } from './types.js';
import { authorizerOf, partsOf, targetFunction } from './websocket.js';

/**
 * HTTP APIs: SAM's (declared, or the implicit `ServerlessHttpApi`) with routes from the
 * functions' HttpApi events, and plain ApiGatewayV2 HTTP APIs with Route resources.
 */
export function readHttpApis(ctx: TemplateContext, functions: FunctionModel[]): HttpApiModel[] {
  const sam = ctx.ofType('AWS::Serverless::HttpApi').map(({ logicalId }) => logicalId);
  const usesImplicit = functions.some((fn) => fn.events.some((event) => event.type === 'HttpApi' && event.api === 'ServerlessHttpApi'));
  if (usesImplicit && !sam.includes('ServerlessHttpApi')) sam.push('ServerlessHttpApi');
  const out = sam.map((logicalId) => samHttpApi(ctx, logicalId, functions));
  const plain = ctx.ofType('AWS::ApiGatewayV2::Api').filter(({ logicalId }) => String(ctx.prop(logicalId, 'ProtocolType')).toUpperCase() === 'HTTP');
  for (const { logicalId } of plain) out.push(plainHttpApi(ctx, logicalId));
  return out;
}

function samHttpApi(ctx: TemplateContext, logicalId: string, functions: FunctionModel[]): HttpApiModel {
  const path = `Resources.${logicalId}.Properties`;
  const declared = ctx.resources.get(logicalId);
  const globals = asObject(asObject(ctx.template.Globals, 'Globals').HttpApi, 'Globals.HttpApi');
  const props = asObject(ctx.resolve(declared ? declared.properties : (merge(globals, {}) as JsonObject), path), path);
  const auth = asObject(props.Auth, `${path}.Auth`);
  const authorizers = asObject(auth.Authorizers, `${path}.Auth.Authorizers`);
  const defaultAuthorizer = typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : 'NONE';
  const routes: HttpRoute[] = [];
  for (const fn of functions) {
    for (const event of fn.events) {
      if (event.type !== 'HttpApi' || event.api !== logicalId) continue;
      const name = event.authorizer ?? defaultAuthorizer;
      const route: HttpRoute = { method: event.method, path: event.path, function: fn.logicalId, auth: { type: 'NONE' } };
      if (name === 'AWS_IAM') route.auth = { type: 'AWS_IAM' };
      else if (name !== 'NONE') {
        const spec = asObject(authorizers[name], `${path}.Auth.Authorizers.${name}`);
        route.auth = { type: spec.JwtConfiguration !== undefined ? 'JWT' : 'CUSTOM', authorizer: name };
        const authorizerFunction = functionIn(ctx, spec.FunctionArn);
        if (authorizerFunction) route.auth.function = authorizerFunction;
      }
      routes.push(route);
    }
  }
  return {
    logicalId,
    id: String(ctx.identity(logicalId, path).ref),
    stageName: typeof props.StageName === 'string' ? props.StageName : '$default',
    routes,
  };
}

function plainHttpApi(ctx: TemplateContext, logicalId: string): HttpApiModel {
  const id = String(ctx.identity(logicalId, logicalId).ref);
  const routes = partsOf(ctx, 'AWS::ApiGatewayV2::Route', id).map((routeId): HttpRoute => {
    const path = `Resources.${routeId}.Properties`;
    const key = String(ctx.prop(routeId, 'RouteKey'));
    const space = key.indexOf(' ');
    const [method, routePath] = space > 0 ? [key.slice(0, space), key.slice(space + 1)] : ['ANY', key];
    const type = String(ctx.prop(routeId, 'AuthorizationType') ?? 'NONE') as HttpRoute['auth']['type'];
    const route: HttpRoute = { method: method.toUpperCase(), path: routePath, auth: { type } };
    const fn = targetFunction(ctx, ctx.prop(routeId, 'Target'), `${path}.Target`);
    if (fn) route.function = fn;
    const authorizer = authorizerOf(ctx, ctx.prop(routeId, 'AuthorizerId'));
    if (authorizer) route.auth.authorizer = authorizer.logicalId;
    if (authorizer?.function) route.auth.function = authorizer.function;
    return route;
  });
  const stages = partsOf(ctx, 'AWS::ApiGatewayV2::Stage', id).map((stage) => String(ctx.identity(stage, stage).ref));
  return { logicalId, id, stageName: stages[0] ?? '$default', routes };
}
