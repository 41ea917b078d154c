/**
 * When DynamoDB's Time to Live deletes an item: its TTL attribute is a top-level Number
 * holding epoch seconds that are in the past, but not more than five years in the past.
 * Anything else (no attribute, a string, a list...) is never expired.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** Expiry times further back than this are ignored by DynamoDB TTL (five years of 365 days). */
export const TTL_MAX_AGE_SECONDS = 5 * 365 * 86_400;

/** The expiry times that count as expired at `nowSeconds`: from `oldest` (included) to `now` (excluded). */
export interface ExpiryWindow {
  oldest: number;
  now: number;
}

export function expiryWindow(nowSeconds: number): ExpiryWindow {
  return { oldest: nowSeconds - TTL_MAX_AGE_SECONDS, now: nowSeconds };
}

/** Whether TTL deletes an item whose TTL attribute is `value` (undefined: the item has none). */
export function isExpired(value: AttributeValue | undefined, window: ExpiryWindow): boolean {
  if (value?.N === undefined) return false;
  const seconds = Number(value.N);
  return Number.isFinite(seconds) && seconds < window.now && seconds >= window.oldest;
}

/**
 * The condition a TTL delete carries, so that an item whose TTL attribute changed since it
 * was read (pushed into the future, removed, made a string) is left alone.
 */
export function expiredCondition(attribute: string, window: ExpiryWindow): {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, AttributeValue>;
} {
  return {
    ConditionExpression: 'attribute_type(#ttl, :number) AND #ttl < :now AND #ttl >= :oldest',
    ExpressionAttributeNames: { '#ttl': attribute },
    ExpressionAttributeValues: { ':number': { S: 'N' }, ':now': { N: String(window.now) }, ':oldest': { N: String(window.oldest) } },
  };
}
