import type { GatewayCore } from './core.js';
import { authorizerEvent, type ConnectionFacts } from './events.js';
import { errorMessage } from './messages.js';
import { evaluatePolicy, isObject } from './policy.js';
import { headerOf, type RequestParts } from './request-parts.js';
import type { GatewayAuthorizer } from './types.js';

export type AuthorizerOutcome =
  | { allowed: true; authorizer: Record<string, unknown> }
  | { allowed: false; status: 401 | 403 | 500; message: string };

const UNAUTHORIZED: AuthorizerOutcome = { allowed: false, status: 401, message: 'Unauthorized' };
const FORBIDDEN: AuthorizerOutcome = { allowed: false, status: 403, message: 'Forbidden' };
const FAILED: AuthorizerOutcome = { allowed: false, status: 500, message: 'Internal server error' };

/**
 * Runs the REQUEST authorizer of `$connect`: 401 without invoking it when an identity
 * source is missing; 401 when it fails with `Unauthorized`, 500 on any other failure or
 * a malformed answer; 403 when its policy does not allow `$connect`; else the
 * `requestContext.authorizer` of every later event: the context, principalId and latency.
 */
export async function runAuthorizer(
  core: GatewayCore,
  authorizer: GatewayAuthorizer,
  facts: ConnectionFacts,
  parts: RequestParts,
): Promise<AuthorizerOutcome> {
  if (!authorizer.identitySources.every((source) => identityPresent(source, parts))) return UNAUTHORIZED;
  const event = authorizerEvent(facts, parts, core.options.region);
  const started = Date.now();
  let result: unknown;
  try {
    result = await core.options.invoke(authorizer.target, event);
  } catch (error) {
    const message = errorMessage(error);
    if (message === 'Unauthorized') return UNAUTHORIZED;
    core.log(`${facts.connectionId} authorizer failed: ${message}`);
    return FAILED;
  }
  const integrationLatency = Date.now() - started;
  if (!isObject(result) || (typeof result.principalId !== 'string' && typeof result.principalId !== 'number')) {
    core.log(`${facts.connectionId} authorizer answered without a principalId`);
    return FAILED;
  }
  const context = result.context ?? {};
  if (!isObject(context) || !Object.values(context).every(isPrimitive)) {
    core.log(`${facts.connectionId} authorizer context values must be strings, numbers or booleans`);
    return FAILED;
  }
  const decision = evaluatePolicy(result.policyDocument, event.methodArn);
  if (decision === 'Invalid') {
    core.log(`${facts.connectionId} authorizer answered an invalid policyDocument`);
    return FAILED;
  }
  if (decision === 'Deny') return FORBIDDEN;
  return { allowed: true, authorizer: { ...context, principalId: result.principalId, integrationLatency } };
}

/** `route.request.header.X` / `route.request.querystring.X`; other sources are not checked. */
export function identityPresent(source: string, parts: RequestParts): boolean {
  const match = /^(?:route\.request|\$request)\.(header|querystring)\.(.+)$/.exec(source.trim());
  if (!match) return true;
  const value = match[1] === 'header' ? headerOf(parts, match[2]!) : parts.queryStringParameters?.[match[2]!];
  return value !== undefined && value !== '';
}

function isPrimitive(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
