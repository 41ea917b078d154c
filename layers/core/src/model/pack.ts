/**
 * Pack items, in order, into groups of at most `maxCount` items whose sizes add up, after a
 * group's own `baseBytes`, to at most `maxBytes`. An item that does not fit an empty group
 * still gets a group of its own: the caller decides whether that is an error. The one rule
 * behind delivery jobs (connections by count and bytes), SendMessageBatch calls (bodies by
 * entries and bytes) and snapshot frames (messages by bytes).
 */
export interface PackLimits {
  maxBytes: number;
  maxCount?: number;
  baseBytes?: number;
}

export function pack<T>(items: readonly T[], { maxBytes, maxCount = Number.POSITIVE_INFINITY, baseBytes = 0 }: PackLimits, sizeOf: (item: T) => number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = baseBytes;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxCount || bytes + size > maxBytes)) {
      groups.push(current);
      current = [];
      bytes = baseBytes;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
