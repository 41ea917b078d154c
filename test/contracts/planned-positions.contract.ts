import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlannedPositionsPort } from '../../layers/core/src/app/ports.js';
import { encodePosition } from '../../layers/core/src/model/positions.js';

const pos = (clock: number, seq = clock, origin = 'eu-west-1'): string => encodePosition({ clock, origin, seq });

/**
 * PlannedPositionsPort: how far each segment of a conflated room has been planned, as
 * deliver reads it to skip superseded jobs. `subject` gives the port reading without a
 * cache; each test uses rooms of its own.
 */
export function plannedPositionsContract(name: string, subject: () => Promise<PlannedPositionsPort>): void {
  describe(`PlannedPositionsPort: ${name}`, () => {
    it('knows nothing of a segment never marked', async () => {
      const planned = await subject();
      expect(await planned.latest(`room-${randomUUID()}`, '0')).toBeUndefined();
    });

    it('answers the highest position marked, whatever order the marks came in', async () => {
      const planned = await subject();
      const room = `room-${randomUUID()}`;
      await planned.mark(room, '0', pos(200));
      expect(await planned.latest(room, '0')).toBe(pos(200));
      await planned.mark(room, '0', pos(100));
      expect(await planned.latest(room, '0')).toBe(pos(200));
      await planned.mark(room, '0', pos(200));
      expect(await planned.latest(room, '0')).toBe(pos(200));
      await planned.mark(room, '0', pos(300));
      expect(await planned.latest(room, '0')).toBe(pos(300));
      // Positions compare as they sort: by clock, then origin.
      await planned.mark(room, '0', pos(300, 1, 'us-east-1'));
      expect(await planned.latest(room, '0')).toBe(pos(300, 1, 'us-east-1'));
    });

    it('keeps segments and rooms apart', async () => {
      const planned = await subject();
      const [room, other] = [`room-${randomUUID()}`, `room-${randomUUID()}`];
      await planned.mark(room, '0-4', pos(500));
      await planned.mark(room, '4-8', pos(100));
      await planned.mark(other, '0-4', pos(50));
      expect(await planned.latest(room, '0-4')).toBe(pos(500));
      expect(await planned.latest(room, '4-8')).toBe(pos(100));
      expect(await planned.latest(room, '8-12')).toBeUndefined();
      expect(await planned.latest(other, '0-4')).toBe(pos(50));
    });
  });
}
