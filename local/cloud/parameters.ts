/**
 * The parameter values the local cloud runs the template with: the template's defaults,
 * then the local cloud's own defaults, then samconfig.toml's `parameter_overrides`, then
 * the command line's. Locally, tokens are HS256 with a generated secret (see auth()).
 */
import type { JsonObject } from '../template/index.js';
import type { SamConfig } from './samconfig.js';

/** Defaults for local use, for the parameters the template declares. */
const LOCAL_DEFAULTS: Record<string, string> = {
  AuthMode: 'jwt',
  JwtIssuer: 'roomcast-local',
  JwtAudience: 'roomcast',
};

/**
 * Names the local secret, to satisfy the template's rule that `jwt` needs a key. Never
 * read: every function that names JWT_SECRET_REF gets the secret itself in JWT_SECRET, which comes first.
 */
export const LOCAL_SECRET_REF = '/roomcast/local/jwt-secret';

export function localParameters(template: JsonObject, samconfig: SamConfig, commandLine: Record<string, string>): Record<string, string> {
  const declared = new Set(Object.keys((template.Parameters ?? {}) as JsonObject));
  const defaults = Object.fromEntries(Object.entries(LOCAL_DEFAULTS).filter(([name]) => declared.has(name)));
  const values = { ...defaults, ...samconfig.parameterOverrides, ...commandLine };
  if (usesLocalSecret(values, declared.has('JwtSecretRef')) && !values.JwtSecretRef) values.JwtSecretRef = LOCAL_SECRET_REF;
  return values;
}

/**
 * HS256 with the local secret: the template takes one (it declares JwtSecretRef), and its
 * tokens are not verified with a JWKS (or not at all). Other applications get no dev token.
 */
export function usesLocalSecret(parameters: Record<string, string | string[]>, declaresSecret = 'JwtSecretRef' in parameters): boolean {
  return declaresSecret && (parameters.AuthMode ?? 'jwt') === 'jwt' && !parameters.JwtJwksUrl;
}

/** What dev tokens must carry for the authorizer to accept them. */
export function tokenSettings(parameters: Record<string, string | string[]>): { issuer: string; audience: string; roomsClaim: string } {
  const text = (name: string): string => {
    const value = parameters[name];
    return Array.isArray(value) ? value.join(',') : (value ?? '');
  };
  return { issuer: text('JwtIssuer'), audience: text('JwtAudience'), roomsClaim: text('JwtRoomsClaim') || 'rooms' };
}
