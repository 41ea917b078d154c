/**
 * The template reader takes a WebSocket API in either form, SAM's
 * AWS::Serverless::WebSocketApi or ApiGatewayV2 resources, and makes one model of it:
 * the two fixtures describe the same API, one in each form.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { webSocketPlan } from '../../local/cloud/apis.js';
import { TemplateContext } from '../../local/template/context.js';
import { routeKeyPart, stageLogicalId } from '../../local/template/sam-websocket.js';
import { localId, parseTemplateText, readTemplate, readTemplateFile, type ReadOptions } from '../../local/template/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const read = (form: 'sam' | 'plain', options: ReadOptions = {}) => readTemplateFile(fixture(`websocket-${form}.yaml`), { stackName: 'st', ...options });

describe('a WebSocket API in either form', () => {
  const sam = read('sam');
  const plain = read('plain');

  it('reads both into the same model', () => {
    expect(sam.websocketApis).toEqual(plain.websocketApis);
    const [api] = sam.websocketApis;
    expect(api).toMatchObject({
      logicalId: 'Api',
      id: localId('st', 'Api'),
      name: 'st-ws',
      routeSelectionExpression: '$request.body.type',
      stageName: 'live',
      stages: ['live'],
      throttling: { burstLimit: 50, rateLimit: 100 },
    });
    expect(Object.values(api?.routes ?? {}).map((route) => [route.routeKey, route.logicalId, route.function, route.authorizationType, route.hasRouteResponse])).toEqual([
      ['$connect', 'ApiConnectRoute', 'Handler', 'CUSTOM', false],
      ['$disconnect', 'ApiDisconnectRoute', 'Handler', 'NONE', false],
      ['echo', 'ApiEchoRoute', 'Worker', 'NONE', true],
      ['$default', 'ApiDefaultRoute', 'Worker', 'NONE', false],
    ]);
    expect(api?.routes.$connect?.authorizer).toEqual({ logicalId: 'ApiConnectAuthorizer', type: 'REQUEST', function: 'Authorizer', identitySources: ['route.request.querystring.token'] });
    expect(api?.routes.echo?.routeResponseSelectionExpression).toBe('$default');
  });

  it('resolves the same references: the API id, its stage, its endpoint', () => {
    const url = `wss://${localId('st', 'Api')}.execute-api.us-east-1.amazonaws.com`;
    expect(sam.outputs).toEqual({ SocketUrl: `${url}/live`, Endpoint: url });
    expect(plain.outputs).toEqual(sam.outputs);
    const environment = (model: typeof sam) => model.functions.find((fn) => fn.logicalId === 'Handler')?.environment.CONNECTIONS_ENDPOINT;
    expect(environment(sam)).toBe(`https://${localId('st', 'Api')}.execute-api.us-east-1.amazonaws.com/live`);
    expect(environment(plain)).toBe(environment(sam));
  });

  it('follows the parameters in both forms', () => {
    const parameters = { Stage: 'beta', Burst: '5', Rate: '7' };
    const [samApi] = read('sam', { parameters }).websocketApis;
    const [plainApi] = read('plain', { parameters }).websocketApis;
    expect(samApi).toMatchObject({ stageName: 'beta', throttling: { burstLimit: 5, rateLimit: 7 } });
    expect(samApi).toEqual(plainApi);
  });

  it('gives the local gateway the same routes and authorizer', () => {
    const warnings: string[] = [];
    const [fromSam, fromPlain] = [webSocketPlan(sam, warnings), webSocketPlan(plain, warnings)];
    expect(fromSam?.routes).toEqual(fromPlain?.routes);
    expect(fromSam?.authorizer).toEqual({ target: 'Authorizer', identitySources: ['route.request.querystring.token'] });
    expect(fromSam?.authorizer).toEqual(fromPlain?.authorizer);
    expect(warnings).toEqual([]);
  });

  it('runs SAM’s resource without a warning about it', () => {
    expect(sam.warnings).toEqual([]);
    expect(sam.resources.Api).toBe('AWS::Serverless::WebSocketApi');
  });
});

/** A template with one SAM WebSocket API (plus `extra` resources) and two functions. */
const samTemplate = (api: string, extra = ''): string => `
Resources:
  Api:
    Type: AWS::Serverless::WebSocketApi
    Properties:
${api.replace(/^/gm, '      ')}
${extra.replace(/^/gm, '  ')}
  Fn: { Type: AWS::Serverless::Function, Properties: { CodeUri: f, Handler: index.handler } }
  Auth: { Type: AWS::Serverless::Function, Properties: { CodeUri: a, Handler: index.handler } }
`;
const samApi = (api: string, extra = '') => {
  const model = readTemplate(samTemplate(api, extra), { stackName: 'st' });
  return { api: model.websocketApis[0], warnings: model.warnings.filter((warning) => !warning.includes('entry file')) };
};

describe("SAM's AWS::Serverless::WebSocketApi", () => {
  it('names the generated route as SAM does: special keys without $, the rest capitalised', () => {
    expect(['$connect', '$disconnect', '$default', 'subscribe', 'presenceUpdate', 'v2'].map(routeKeyPart)).toEqual(['Connect', 'Disconnect', 'Default', 'Subscribe', 'Presenceupdate', 'V2']);
    expect(routeKeyPart('presence.update')).toBeUndefined();
    expect([stageLogicalId('Api', { Ref: 'Stage' }), stageLogicalId('Api', 'prod'), stageLogicalId('Api', undefined), stageLogicalId('Api', 'default')]).toEqual(['ApiStage', 'ApiprodStage', 'ApiDefaultStage', 'ApiDefaultStage']);
  });

  it("takes SAM's defaults: the stage `default`, the API's logical id as its name", () => {
    const { api, warnings } = samApi(`RouteSelectionExpression: $request.body.action\nRoutes: { go: { FunctionArn: !GetAtt Fn.Arn } }`);
    expect(api).toMatchObject({ name: 'Api', stageName: 'default', stages: ['default'] });
    expect(api).not.toHaveProperty('throttling');
    expect(api?.routes.go).toMatchObject({ logicalId: 'ApiGoRoute', function: 'Fn', authorizationType: 'NONE', hasRouteResponse: false });
    expect(warnings).toEqual([]);
  });

  it('reads AuthType AWS_IAM and NONE on $connect, and only there', () => {
    const routes = `Routes: { $connect: { FunctionArn: !GetAtt Fn.Arn }, go: { FunctionArn: !GetAtt Fn.Arn } }`;
    for (const type of ['AWS_IAM', 'NONE']) {
      const { api } = samApi(`RouteSelectionExpression: $request.body.action\nAuth: { AuthType: ${type} }\n${routes}`);
      expect(api?.routes.$connect).toMatchObject({ authorizationType: type });
      expect(api?.routes.$connect).not.toHaveProperty('authorizer');
      expect(api?.routes.go?.authorizationType).toBe('NONE');
    }
  });

  it('adds the ApiGatewayV2 routes, route responses and references that name its generated resources', () => {
    const { api, warnings } = samApi(
      `RouteSelectionExpression: $request.body.action\nStageName: prod\nRoutes: { go: { FunctionArn: !GetAtt Fn.Arn, RouteResponseSelectionExpression: $default } }`,
      `
GoResponse: { Type: AWS::ApiGatewayV2::RouteResponse, Properties: { ApiId: !Ref Api, RouteId: !Ref ApiGoRoute, RouteResponseKey: $default } }
AuthIntegration:
  Type: AWS::ApiGatewayV2::Integration
  Properties: { ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationUri: !Sub 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations' }
ConnectRoute: { Type: AWS::ApiGatewayV2::Route, Properties: { ApiId: !Ref Api, RouteKey: $connect, Target: !Sub 'integrations/\${AuthIntegration}' } }
Mapping: { Type: AWS::ApiGatewayV2::ApiMapping, Properties: { ApiId: !Ref Api, DomainName: ws.example.com, Stage: !Ref Api.Stage } }`,
    );
    expect(api?.routes.go).toMatchObject({ hasRouteResponse: true, routeResponseSelectionExpression: '$default' });
    expect(api?.routes.$connect).toMatchObject({ logicalId: 'ConnectRoute', function: 'Fn' });
    expect(api?.stageName).toBe('prod');
    expect(warnings).toEqual(['AWS::ApiGatewayV2::ApiMapping (Mapping): not emulated (no effect locally)']);
  });

  it('resolves `!Ref <Api>.Stage` and the generated resources as CloudFormation will after the transform', () => {
    const ctx = new TemplateContext(parseTemplateText(samTemplate(`RouteSelectionExpression: x\nStageName: !Ref Stage\nRoutes: { go: { FunctionArn: !GetAtt Fn.Arn } }`, '').replace('Resources:', 'Parameters: { Stage: { Type: String, Default: v1 } }\nResources:')), { stackName: 'st' });
    expect(ctx.resolve({ Ref: 'Api.Stage' }, 'v')).toBe('v1');
    expect(ctx.resolve({ Ref: 'ApiStage' }, 'v')).toBe('v1');
    expect(ctx.resolve({ Ref: 'ApiGoRoute' }, 'v')).toBe(localId('st', 'ApiGoRoute'));
    expect(ctx.resolve({ Ref: 'Api' }, 'v')).toBe(localId('st', 'Api'));
  });

  it('says what SAM would refuse or what it cannot run', () => {
    const { api, warnings } = samApi(
      `RouteSelectionExpression: $request.body.action\nAuth: { AuthType: CUSTOM, AuthArn: !GetAtt Auth.Arn }\nRoutes: { presence.update: { FunctionArn: !GetAtt Fn.Arn }, away: { FunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:elsewhere' } }`,
    );
    expect(Object.keys(api?.routes ?? {})).toEqual(['away']);
    expect(api?.routes.away).not.toHaveProperty('function');
    expect(warnings).toEqual([
      'Resources.Api.Properties.Auth: SAM authorizes a $connect route only, and Routes has none',
      'Resources.Api.Properties.Routes.presence.update: SAM takes $connect, $disconnect, $default and alphanumeric route keys only; not read',
      'Resources.Api.Properties.Routes.away.FunctionArn: not a function of this template; the route answers nothing locally',
    ]);
  });

  it('refuses a reference to a route it does not generate', () => {
    expect(() => samApi(`RouteSelectionExpression: x\nRoutes: { go: { FunctionArn: !GetAtt Fn.Arn } }`, `R: { Type: AWS::ApiGatewayV2::RouteResponse, Properties: { ApiId: !Ref Api, RouteId: !Ref ApiStopRoute } }`)).toThrow(
      /cannot reference "ApiStopRoute": no such parameter or resource/,
    );
  });
});
