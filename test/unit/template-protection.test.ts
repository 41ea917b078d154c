import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TemplateContext } from '../../local/template/context.js';
import { parseTemplateText, readTemplateFile } from '../../local/template/index.js';

const TEMPLATE = fileURLToPath(new URL('../../template.yaml', import.meta.url));
const ruleWarnings = (parameters: Record<string, string>): string =>
  readTemplateFile(TEMPLATE, { parameters }).warnings.filter((line) => line.startsWith('Rules.')).join('\n');

describe("the template's rules on authentication", () => {
  const jwks = { AuthMode: 'jwt', JwtJwksUrl: 'https://idp.example.com/.well-known/jwks.json' };

  it('refuse a JWKS without an issuer and an audience', () => {
    expect(ruleWarnings(jwks)).toMatch(/Rules.JwksNeedsIssuerAndAudience: JwtJwksUrl needs JwtIssuer/);
    expect(ruleWarnings(jwks)).toMatch(/Rules.JwksNeedsIssuerAndAudience: JwtJwksUrl needs JwtAudience/);
    expect(ruleWarnings({ ...jwks, JwtIssuer: 'https://idp.example.com/' })).toMatch(/needs JwtAudience/);
    expect(ruleWarnings({ ...jwks, JwtIssuer: 'https://idp.example.com/', JwtAudience: 'roomcast' })).toBe('');
  });

  it('leave an HS256 secret without an issuer alone: the secret is the application\'s own', () => {
    expect(ruleWarnings({ AuthMode: 'jwt', JwtSecretRef: '/roomcast/jwt' })).toBe('');
  });

  it('refuse AuthMode none on the stage prod unless AllowAnonymousProd says so', () => {
    expect(ruleWarnings({ AuthMode: 'none' })).toMatch(/Rules.AnonymousProdIsExplicit: AuthMode none lets anyone connect/);
    expect(ruleWarnings({ AuthMode: 'none', Stage: 'prod' })).toMatch(/AnonymousProdIsExplicit/);
    expect(ruleWarnings({ AuthMode: 'none', Stage: 'prod', AllowAnonymousProd: 'true' })).toBe('');
    expect(ruleWarnings({ AuthMode: 'none', Stage: 'dev' })).toBe('');
  });
});

describe("the template's protections", () => {
  const text = parseTemplateText(readFileSync(TEMPLATE, 'utf8'));
  const context = (parameters: Record<string, string> = {}) => new TemplateContext(text, { stackName: 'st', parameters: { JwtSecretRef: '/x', ...parameters } });

  it('keep point-in-time recovery and deletion protection on both tables and every replica, by default', () => {
    const on = context({ ReplicaRegions: 'eu-west-1' });
    expect(on.prop('ConnectionsTable', 'PointInTimeRecoverySpecification')).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(on.prop('ConnectionsTable', 'DeletionProtectionEnabled')).toBe(true);
    const replicas = on.prop('MessagesTable', 'Replicas') as Array<Record<string, unknown>>;
    expect(replicas).toHaveLength(2);
    for (const replica of replicas) expect(replica).toMatchObject({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true });
    const off = context({ PointInTimeRecovery: 'false', DeletionProtection: 'false' });
    expect(off.prop('ConnectionsTable', 'DeletionProtectionEnabled')).toBe(false);
    expect((off.prop('MessagesTable', 'Replicas') as Array<Record<string, unknown>>)[0]).toMatchObject({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false }, DeletionProtectionEnabled: false });
  });

  it('throttle the publish API and log its requests without any header (no signature, no token)', () => {
    const api = context({ PublishThrottlingBurstLimit: '300', PublishThrottlingRateLimit: '150' });
    expect(api.prop('HttpApi', 'DefaultRouteSettings')).toEqual({ ThrottlingBurstLimit: '300', ThrottlingRateLimit: '150' });
    const { Format } = api.prop('HttpApi', 'AccessLogSettings') as { Format: string };
    expect(JSON.parse(Format)).toMatchObject({ caller: '$context.identity.userArn', status: '$context.status' });
    expect(Format).not.toMatch(/header|authorization|signature|token|querystring/i);
  });

  it('cap the socket functions and reserve concurrency for publish and deliver only when asked', () => {
    const functions = (parameters: Record<string, string>) => readTemplateFile(TEMPLATE, { parameters: { JwtSecretRef: '/x', ...parameters } }).functions;
    const reserved = (parameters: Record<string, string>) => Object.fromEntries(functions(parameters).filter((fn) => fn.reservedConcurrency !== undefined).map((fn) => [fn.logicalId, fn.reservedConcurrency]));
    expect(reserved({})).toEqual({});
    expect(reserved({ SocketFunctionsConcurrency: '50', PublishReservedConcurrency: '20', DeliverReservedConcurrency: '100' })).toEqual({
      AuthorizeFunction: 50, ConnectFunction: 50, DisconnectFunction: 50, SubscribeFunction: 50, UnsubscribeFunction: 50, RefreshFunction: 50, DefaultFunction: 50, OccupancyFunction: 50,
      PublishFunction: 20, DeliverFunction: 100,
    });
  });

  it('keep dead letters, which carry message data, no longer than history by default', () => {
    const queues = readTemplateFile(TEMPLATE, { parameters: { JwtSecretRef: '/x' } }).queues;
    const retention = (logicalId: string) => queues.find((queue) => queue.logicalId === logicalId)?.attributes.MessageRetentionPeriod;
    expect(retention('DeliveryDLQ')).toBe('86400');
    expect(retention('PlanDLQ')).toBe('86400');
    const history = (text.Parameters as Record<string, { Default: unknown }>).HistoryTtlSeconds?.Default;
    expect(Number(retention('DeliveryDLQ'))).toBeLessThanOrEqual(Number(history));
  });
});
