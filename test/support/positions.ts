/** A position as the server writes it: the n-th message of `origin` in a room, at clock `clock`. */
export function positionOf(n: number, origin = 'eu-west-1', clock = 1_700_000_000_000 + n): string {
  return `${String(clock).padStart(16, '0')}.${origin}.${String(n).padStart(16, '0')}`;
}

/** The sequence number of a position within its origin. */
export const seqOf = (pos: string): number => Number(pos.split('.').pop());

/** A position the server issued in `region` (any clock). */
export const issuedIn = (region: string, seq: number) => new RegExp(`^\\d{16}\\.${region}\\.${String(seq).padStart(16, '0')}$`);
export const POSITION = /^\d{16}\.[a-z0-9-]+\.\d{16}$/;
