/** Durations on the command line: `90`, `90s`, `15m`, `24h`, `7d`. */
import { UsageError } from './errors.js';

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds; a UsageError names the flag when the text is not a positive duration. */
export function parseDuration(raw: string, flag: string): number {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(raw);
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[(match[2] ?? '').toLowerCase()] ?? Number.NaN) : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new UsageError(`--${flag} must be a duration such as 3600, 90s, 15m, 24h or 7d, got ${JSON.stringify(raw)}`);
  }
  return seconds;
}
