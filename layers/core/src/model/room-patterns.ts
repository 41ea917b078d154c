/**
 * Room patterns, as tokens grant rooms and `ConflateRooms` names them. A room name is a
 * list of `:`-separated segments, and a pattern is read segment by segment:
 *
 * - `*` stands for any run of characters inside one segment: `team:1*` matches `team:1`
 *   and `team:12`, never `team:1:admin`; `team:*:chat` matches `team:7:chat`.
 * - `**`, as the whole last segment only, stands for one or more segments: `team:1:**`
 *   matches `team:1:chat` and `team:1:chat:mods`, not `team:1` itself; `**` alone matches
 *   every room (reserved rooms apart: see rooms.ts).
 * - Anything else is matched as it is written.
 *
 * A pattern with `**` anywhere else (`a**`, `**:x`) grants nothing: `patternProblem` says
 * why, so that tools can refuse it before a token carries it. Matched without regular
 * expressions, in time linear in the room name times the segment's stars.
 */

export const SEGMENT_SEPARATOR = ':';
export const SUBTREE = '**';

/** Why a pattern can never grant anything, or undefined for a pattern that can. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'a room pattern must not be empty';
  const segments = pattern.split(SEGMENT_SEPARATOR);
  const misplaced = segments.some((segment, index) =>
    segment.includes(SUBTREE) && (segment !== SUBTREE || index !== segments.length - 1));
  if (misplaced) return `"${SUBTREE}" stands only as the whole last segment of a pattern (for example team:1:${SUBTREE})`;
  return undefined;
}

export function matchesPattern(pattern: string, room: string): boolean {
  if (patternProblem(pattern) !== undefined) return false;
  const wanted = pattern.split(SEGMENT_SEPARATOR);
  const segments = room.split(SEGMENT_SEPARATOR);
  const subtree = wanted[wanted.length - 1] === SUBTREE;
  const fixed = subtree ? wanted.length - 1 : wanted.length;
  if (subtree ? segments.length <= fixed : segments.length !== fixed) return false;
  for (let i = 0; i < fixed; i += 1) {
    if (!matchesSegment(wanted[i]!, segments[i]!)) return false;
  }
  return true;
}

/** One segment against one segment pattern, `*` being any run of characters (maybe none). */
export function matchesSegment(pattern: string, segment: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === segment;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!segment.startsWith(first) || segment.length < first.length + last.length) return false;
  let at = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = segment.indexOf(middle, at);
    if (found < 0) return false;
    at = found + middle.length;
  }
  return segment.length - last.length >= at && segment.endsWith(last);
}
