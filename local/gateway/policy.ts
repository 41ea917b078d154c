/**
 * The IAM policy a Lambda authorizer returns, evaluated the way API Gateway does for one
 * method ARN: an explicit Deny wins, then an Allow, else the request is denied.
 */
export type PolicyDecision = 'Allow' | 'Deny' | 'Invalid';

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

export function evaluatePolicy(policyDocument: unknown, methodArn: string): PolicyDecision {
  if (!isObject(policyDocument)) return 'Invalid';
  const raw = policyDocument.Statement;
  const statements = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : undefined;
  if (!statements) return 'Invalid';
  let allowed = false;
  for (const statement of statements as Statement[]) {
    if (!isObject(statement)) return 'Invalid';
    if (!matchesAny(statement.Action, 'execute-api:Invoke', 'i') || !matchesAny(statement.Resource, methodArn, '')) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'Deny';
}

/** Actions compare without regard to case ('i'), resources exactly (''). */
function matchesAny(patterns: unknown, value: string, flags: 'i' | ''): boolean {
  const list = Array.isArray(patterns) ? patterns : [patterns];
  return list.some((pattern) => typeof pattern === 'string' && wildcard(pattern, flags).test(value));
}

/** IAM wildcards: `*` any run of characters, `?` any one character. */
function wildcard(pattern: string, flags: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
