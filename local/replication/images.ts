/**
 * Items as the replicator sees them: images in the JSON shape of Lambda's stream records
 * (AttributeValue maps, binary values as base64), turned back into SDK values for writes,
 * and compared by a canonical text (attribute order and set order do not matter).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** An item, or its key attributes, as a stream record's `Keys` / `NewImage` shows it. */
export type Image = Record<string, unknown>;

/** The same text for the same item, whatever the order of its attributes or set members. */
export function fingerprint(image: Image | null): string {
  return image === null ? 'null' : canonical(image, false);
}

/** The SDK's AttributeValue map of an image (base64 back to bytes). */
export function toAttributeMap(image: Image): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toAttributeValue(value)]));
}

const SET_TYPES = new Set(['SS', 'NS', 'BS']);

function canonical(value: unknown, isSet: boolean): string {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item, false));
    if (isSet) items.sort();
    return `[${items.join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const fields = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(object[key], SET_TYPES.has(key))}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

function toAttributeValue(value: unknown): AttributeValue {
  const typed = value as Record<string, unknown>;
  if (typeof typed.B === 'string') return { B: Buffer.from(typed.B, 'base64') };
  if (Array.isArray(typed.BS)) return { BS: typed.BS.map((item) => Buffer.from(String(item), 'base64')) };
  if (Array.isArray(typed.L)) return { L: typed.L.map(toAttributeValue) };
  if (typeof typed.M === 'object' && typed.M !== null) return { M: toAttributeMap(typed.M as Image) };
  return typed as unknown as AttributeValue; // S, N, SS, NS, BOOL, NULL: the same in both shapes
}
