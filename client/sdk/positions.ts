/**
 * Everything the client knows about positions lives here. Positions are opaque strings
 * that sort in publish order within a room. Today they are dense decimal sequence numbers,
 * so the position after `pos` is known and a skipped one is a gap; for positions of any
 * other shape `next` answers undefined and the client orders without detecting gaps.
 */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const DECIMAL = /^\d+$/;

/** The position right after `pos`, same width, or undefined when it cannot be known. */
export function next(pos: string): string | undefined {
  if (!DECIMAL.test(pos)) return undefined;
  const digits = pos.split('');
  let index = digits.length - 1;
  while (index >= 0 && digits[index] === '9') digits[index--] = '0';
  if (index < 0) return '1' + digits.join('');
  digits[index] = String(Number(digits[index]) + 1);
  return digits.join('');
}

/** Whether `pos` comes right after `last` (true when density cannot be known). */
export function follows(last: string, pos: string): boolean {
  const expected = next(last);
  return expected === undefined || expected === pos;
}
