/**
 * Route selection as an HTTP API does it: `METHOD /path` routes with `{param}` segments
 * and a trailing greedy `{name+}`, the `ANY` method, and the `$default` catch-all.
 */
import type { HttpRoute } from './types.js';

type Segment = { kind: 'literal'; value: string } | { kind: 'param'; name: string };

interface CompiledRoute {
  route: HttpRoute;
  routeKey: string;
  method: string;
  segments: Segment[];
  greedy: string | undefined;
}

export interface RouteMatch {
  route: HttpRoute;
  routeKey: string;
  /** Undefined when the route has no path variables (API Gateway omits the field). */
  pathParameters: Record<string, string> | undefined;
}

export interface Router {
  match(method: string, path: string): RouteMatch | undefined;
}

const PARAM = /^\{([A-Za-z0-9._:-]+)\}$/;
const GREEDY = /^\{([A-Za-z0-9._:-]+)\+\}$/;

function isDefault(route: HttpRoute): boolean {
  return route.path === '$default' || route.method === '$default';
}

function compile(route: HttpRoute): CompiledRoute {
  const method = route.method.toUpperCase();
  if (!route.path.startsWith('/')) throw new Error(`HTTP API route path must start with '/': ${route.path}`);
  const parts = route.path === '/' ? [] : route.path.slice(1).split('/');
  const segments: Segment[] = [];
  let greedy: string | undefined;
  parts.forEach((part, index) => {
    const greedyName = GREEDY.exec(part)?.[1];
    if (greedyName !== undefined) {
      if (index !== parts.length - 1) throw new Error(`a greedy path variable must end the path: ${route.path}`);
      greedy = greedyName;
      return;
    }
    const name = PARAM.exec(part)?.[1];
    if (name !== undefined) segments.push({ kind: 'param', name });
    else if (part.includes('{') || part.includes('}')) throw new Error(`a path variable must be a whole segment: ${route.path}`);
    else segments.push({ kind: 'literal', value: part });
  });
  return { route, routeKey: `${method} ${route.path}`, method, segments, greedy };
}

/** Lower is more specific: per segment literal 0, variable 1, greedy 2; then ANY after a method. */
function rank(compiled: CompiledRoute): number[] {
  const ranks: number[] = compiled.segments.map((s) => (s.kind === 'literal' ? 0 : 1));
  if (compiled.greedy !== undefined) ranks.push(2);
  return ranks;
}

function moreSpecific(a: CompiledRoute, b: CompiledRoute): boolean {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i] ?? 0;
    const y = rb[i] ?? 0;
    if (x !== y) return x < y;
  }
  if (ra.length !== rb.length) return ra.length > rb.length;
  return a.method !== 'ANY' && b.method === 'ANY';
}

function tryMatch(compiled: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  const { segments, greedy } = compiled;
  if (greedy === undefined ? parts.length !== segments.length : parts.length <= segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i] ?? '';
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = part;
    }
  }
  if (greedy !== undefined) {
    const rest = parts.slice(segments.length).join('/');
    if (rest === '') return undefined;
    params[greedy] = rest;
  }
  return params;
}

/** Throws on a route API Gateway would refuse (bad path variables, two routes with one key). */
export function createRouter(routes: readonly HttpRoute[]): Router {
  const compiled: CompiledRoute[] = [];
  let fallback: HttpRoute | undefined;
  const keys = new Set<string>();
  for (const route of routes) {
    if (isDefault(route)) {
      if (fallback !== undefined) throw new Error('an HTTP API has at most one $default route');
      fallback = route;
      continue;
    }
    const c = compile(route);
    if (keys.has(c.routeKey)) throw new Error(`duplicate HTTP API route: ${c.routeKey}`);
    keys.add(c.routeKey);
    compiled.push(c);
  }
  return {
    match(method, path) {
      const parts = path === '/' ? [] : path.slice(1).split('/');
      let best: { c: CompiledRoute; params: Record<string, string> } | undefined;
      for (const c of compiled) {
        if (c.method !== 'ANY' && c.method !== method) continue;
        const params = tryMatch(c, parts);
        if (params !== undefined && (best === undefined || moreSpecific(c, best.c))) best = { c, params };
      }
      if (best !== undefined) {
        const pathParameters = Object.keys(best.params).length > 0 ? best.params : undefined;
        return { route: best.c.route, routeKey: best.c.routeKey, pathParameters };
      }
      if (fallback !== undefined) return { route: fallback, routeKey: '$default', pathParameters: undefined };
      return undefined;
    },
  };
}
