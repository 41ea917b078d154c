import type { Scope } from './intrinsics.js';
import { TemplateError, type Json } from './types.js';

/**
 * `Fn::Sub`: replaces `${Name}` (a variable of the function, a parameter, a pseudo
 * parameter or a resource's Ref), `${Resource.Attribute}` (GetAtt) and keeps
 * `${!Literal}` as the literal `${Literal}`.
 */
export function substitute(template: string, vars: Record<string, Json>, scope: Scope, path: string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const start = rest.indexOf('${');
    if (start < 0) return out + rest;
    const end = rest.indexOf('}', start + 2);
    if (end < 0) throw new TemplateError(`${path}: unclosed "\${" in ${JSON.stringify(template)}`);
    out += rest.slice(0, start);
    const name = rest.slice(start + 2, end).trim();
    out += name.startsWith('!') ? `\${${name.slice(1)}}` : variable(name, vars, scope, path);
    rest = rest.slice(end + 1);
  }
}

function variable(name: string, vars: Record<string, Json>, scope: Scope, path: string): string {
  if (name === '') throw new TemplateError(`${path}: empty "\${}" in Fn::Sub`);
  const own = vars[name];
  const value = own !== undefined ? own : lookup(name, scope, path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.join(',');
  throw new TemplateError(`${path}: \${${name}} is not a string (${JSON.stringify(value)})`);
}

function lookup(name: string, scope: Scope, path: string): Json {
  const dot = name.indexOf('.');
  if (dot > 0 && !name.startsWith('AWS::')) return scope.getAtt(name.slice(0, dot), name.slice(dot + 1), path);
  return scope.ref(name, path);
}
