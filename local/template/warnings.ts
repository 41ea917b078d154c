import type { TemplateContext } from './context.js';
import { FUNCTION_TYPES } from './lookup.js';
import { TABLE_TYPES } from './tables.js';

/** Types the local cloud runs (or reads into the model). */
const EMULATED = new Set([
  ...TABLE_TYPES,
  ...FUNCTION_TYPES,
  'AWS::SQS::Queue',
  'AWS::Serverless::HttpApi',
  'AWS::Serverless::WebSocketApi',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::RouteResponse',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
  'AWS::Lambda::EventSourceMapping',
]);

/** Types with nothing to do on one machine: monitoring, permissions, deployment plumbing. */
const NO_LOCAL_EFFECT = [
  /^AWS::IAM::/,
  /^AWS::CloudWatch::/,
  /^AWS::Logs::/,
  /^AWS::ApplicationAutoScaling::/,
  /^AWS::KMS::/,
  /^AWS::XRay::/,
  /^AWS::CertificateManager::/,
  /^AWS::Route53::/,
  /^AWS::SNS::/,
  /^AWS::Lambda::(Permission|Version|Alias|EventInvokeConfig|LayerVersion|LayerVersionPermission)$/,
  /^AWS::Serverless::LayerVersion$/,
  /^AWS::ApiGatewayV2::(Deployment|ApiMapping|DomainName|IntegrationResponse|Model)$/,
  /^AWS::SQS::QueuePolicy$/,
];

/** One line per resource type the local cloud does not run, naming its resources. */
export function unsupportedResourceWarnings(ctx: TemplateContext): string[] {
  const byType = new Map<string, string[]>();
  for (const { logicalId, type } of ctx.resources.values()) {
    if (EMULATED.has(type)) continue;
    byType.set(type, [...(byType.get(type) ?? []), logicalId]);
  }
  return [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, ids]) => {
      const why = NO_LOCAL_EFFECT.some((pattern) => pattern.test(type))
        ? 'not emulated (no effect locally)'
        : 'not emulated: unsupported locally, code that depends on it will not find it';
      return `${type} (${ids.join(', ')}): ${why}`;
    });
}
