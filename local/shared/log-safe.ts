/**
 * What the local cloud's servers may write to their logs about a signed request: never a
 * signature, a credential or a security token. A presigned URL carries all three in its
 * query; a refused signature's explanation carries the canonical request (signed headers,
 * a security token among them).
 */

/** Query parameters of SigV4 presigned URLs whose values stay out of logs (compared without case). */
const SECRET_PARAMETERS = new Set(['x-amz-signature', 'x-amz-credential', 'x-amz-security-token']);

export const REDACTED = '(redacted)';

/** The URL as sent, with the values of the signing query parameters replaced. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_PARAMETERS.has(safeDecode(name).toLowerCase()) ? `${name}=${REDACTED}` : pair;
    });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

/** A refused signature's reason, without the canonical request and string to sign that may follow it. */
export function loggableSignatureProblem(problem: string): string {
  return problem.split('\n', 1)[0]!;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
