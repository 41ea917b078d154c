/**
 * Everything the client knows about positions. A position is `<clock>.<origin>.<seq>`: it
 * sorts in the room's order, and `seq` counts each origin region's messages densely, so the
 * next one of an origin is known and a skipped one is a gap. A cursor is the last position
 * per origin, comma-joined. Positions of any other shape are one origin whose gaps cannot
 * be seen: the client orders them and waits for nothing.
 */
const SHAPE = /^\d+\.([^.,]+)\.(\d+)$/;

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The region a position comes from ('' when its shape is unknown). */
export function originOf(pos: string): string {
  return SHAPE.exec(pos)?.[1] ?? '';
}

/** Whether `pos` comes right after `last` of the same origin (true when density cannot be known). */
export function follows(last: string, pos: string): boolean {
  const [a, b] = [SHAPE.exec(last), SHAPE.exec(pos)];
  return !a || !b || (a[1] === b[1] && Number(a[2]) + 1 === Number(b[2]));
}

/** Keep `pos` in `latest` when it is the highest of its origin; true when it was. */
export function raise(latest: Map<string, string>, pos: string): boolean {
  const origin = originOf(pos);
  const known = latest.get(origin);
  if (known !== undefined && compare(pos, known) <= 0) return false;
  latest.set(origin, pos);
  return true;
}

/** The positions of a cursor. */
export function entries(cursor: string | undefined): string[] {
  return cursor ? cursor.split(',') : [];
}

/** The cursor of the latest position per origin (undefined when there is none). */
export function cursorOf(latest: Map<string, string>): string | undefined {
  return latest.size > 0 ? [...latest.values()].sort(compare).join(',') : undefined;
}

/** The position before an origin's first message (seq 0, clock 0), shaped like `pos`: resuming after it asks for all of that origin. */
export function nothingOf(pos: string): string {
  return pos.replace(/^\d+/, (digits) => '0'.repeat(digits.length)).replace(/\d+$/, (digits) => '0'.repeat(digits.length));
}
