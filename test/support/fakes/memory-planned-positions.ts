import type { PlannedPositionsPort } from '../../../layers/core/src/app/ports.js';

/**
 * How far each segment of a conflated room has been planned, in memory. As the store: a
 * lower position marked after a higher one leaves the higher one. No read cache: `latest`
 * is always the last mark.
 */
export class MemoryPlannedPositions implements PlannedPositionsPort {
  private readonly positions = new Map<string, string>();

  async mark(room: string, segment: string, pos: string): Promise<void> {
    const key = keyOf(room, segment);
    const known = this.positions.get(key);
    if (known === undefined || known < pos) this.positions.set(key, pos);
  }

  async latest(room: string, segment: string): Promise<string | undefined> {
    return this.positions.get(keyOf(room, segment));
  }
}

function keyOf(room: string, segment: string): string {
  return JSON.stringify([room, segment]);
}
