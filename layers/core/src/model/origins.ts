/**
 * Allowed browser origins (`AllowedOrigins`): `*` (any), an exact origin
 * (`https://app.example.com`, `http://localhost:5173`), or a subdomain pattern
 * (`https://*.example.com`, with an optional port) that matches the subdomains of
 * `example.com` at any depth over the same scheme and port: `https://a.example.com` and
 * `https://a.b.example.com`, never `https://example.com`, `https://evilexample.com` or
 * `https://example.com.evil.net`. Origins compare without regard to case.
 */

export const ANY_ORIGIN = '*';

interface OriginParts {
  scheme: string;
  host: string;
  /** The explicit port, '' when the origin names none. */
  port: string;
}

const ORIGIN = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-f:.]+\]|[^/:?#@\s[\]]+)(?::(\d{1,5}))?$/;
const HOST_LABELS = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

function partsOf(origin: string): OriginParts | undefined {
  const match = ORIGIN.exec(origin.toLowerCase());
  if (!match) return undefined;
  return { scheme: match[1]!, host: match[2]!, port: match[3] ?? '' };
}

/** Why an entry of the allowed origins can never match a browser's Origin, or undefined. */
export function originPatternProblem(pattern: string): string | undefined {
  if (pattern === ANY_ORIGIN) return undefined;
  const parts = partsOf(pattern);
  const example = 'https://app.example.com or https://*.example.com';
  if (!parts) return `not an origin (scheme://host[:port], for example ${example}): ${pattern}`;
  if (parts.host.startsWith('[')) return undefined;
  const host = parts.host.startsWith('*.') ? parts.host.slice(2) : parts.host;
  if (!HOST_LABELS.test(host)) return `"*" stands only as the first label of a host (for example ${example}): ${pattern}`;
  if (parts.host.startsWith('*.') && !host.includes('.')) return `a subdomain pattern names a domain of at least two labels: ${pattern}`;
  return undefined;
}

export function matchesOrigin(pattern: string, origin: string): boolean {
  if (pattern === ANY_ORIGIN) return true;
  if (originPatternProblem(pattern) !== undefined) return false;
  const wanted = partsOf(pattern)!;
  const actual = partsOf(origin);
  if (!actual || actual.scheme !== wanted.scheme || actual.port !== wanted.port) return false;
  if (!wanted.host.startsWith('*.')) return actual.host === wanted.host;
  if (!HOST_LABELS.test(actual.host)) return false;
  const domain = wanted.host.slice(1);
  return actual.host.endsWith(domain) && actual.host.length > domain.length;
}
