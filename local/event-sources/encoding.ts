/**
 * Lambda events are JSON: binary values travel as base64 text. The SDK hands back
 * Uint8Array; some emulators answer a JSON object of byte indexes instead ({"0":1,"1":2}).
 */
export function toBase64(value: unknown): string | undefined {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const bytes = Object.entries(value).sort(([a], [b]) => Number(a) - Number(b)).map(([, byte]) => Number(byte));
    return bytes.every((byte) => Number.isInteger(byte) && byte >= 0 && byte < 256) ? Buffer.from(bytes).toString('base64') : undefined;
  }
  return undefined;
}

/** A JSON copy of an SDK value: Uint8Array becomes base64, Date becomes its ISO text. */
export function toJsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, toJsonValue(item)]));
  }
  return value;
}
