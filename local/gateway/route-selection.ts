/**
 * The route selection expression, evaluated on a message body as API Gateway does:
 * `$request.body.<path>` (a dot path into the JSON body), or a template that embeds
 * `${request.body.<path>}` parts. The route key comes out as a string, or undefined when
 * the body is not JSON or a part is missing or not a string/number/boolean: then the
 * message goes to `$default`.
 */
export function selectRouteKey(expression: string, body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const whole = /^\$request\.body\.(.+)$/.exec(expression.trim());
  if (whole) return valueAt(json, whole[1]!);
  if (!expression.includes('${')) return expression; // a constant expression
  let missing = false;
  const key = expression.replace(/\$\{request\.body\.([^}]+)\}/g, (_, path: string) => {
    const value = valueAt(json, path);
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : key;
}

function valueAt(json: unknown, path: string): string | undefined {
  let node = json;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  return undefined;
}

/** Keys a message can never select: they belong to the connection's lifecycle. */
export const LIFECYCLE_ROUTES: ReadonlySet<string> = new Set(['$connect', '$disconnect']);
