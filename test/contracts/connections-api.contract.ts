import { describe, expect, it } from 'vitest';
import type { ConnectionsApiPort } from '../../layers/core/src/app/ports.js';

/** A status the management API answers instead of delivering. */
export type FaultStatus = 429 | 500;

export interface ConnectionsApiSubject {
  api: ConnectionsApiPort;
  endpoint: string;
  /** The deadline the api was given, in ms. */
  timeoutMs: number;
  /** Open a connection; answers its id. */
  connect(): Promise<string>;
  /** The next frame that reaches the connection's client. */
  next(connectionId: string): Promise<string>;
  /** True when nothing more has reached the connection's client. */
  quiet(connectionId: string): Promise<boolean>;
  /** Posts answer `status` without delivering, until `clearFaults`. */
  answer(status: FaultStatus): void;
  /** Posts take `ms` before they are answered. */
  delay(ms: number): void;
  clearFaults(): void;
}

/**
 * ConnectionsApiPort: what deliver and the connection use cases rely on of the
 * @connections API, outcome by outcome. `subject` is called once per test.
 */
export function connectionsApiContract(name: string, subject: () => Promise<ConnectionsApiSubject>): void {
  describe(`ConnectionsApiPort: ${name}`, () => {
    it('delivers a post to that connection only, as sent and in order', async () => {
      const { api, endpoint, connect, next, quiet } = await subject();
      const [one, two] = [await connect(), await connect()];
      const frame = JSON.stringify({ type: 'message', room: 'a', data: { text: 'héllo ✓' } });
      expect(await api.post(endpoint, one, frame)).toEqual({ outcome: 'delivered' });
      expect(await api.post(endpoint, one, 'second')).toEqual({ outcome: 'delivered' });
      expect(await next(one)).toBe(frame);
      expect(await next(one)).toBe('second');
      expect(await quiet(one)).toBe(true);
      expect(await quiet(two)).toBe(true);
    });

    it('answers gone for a connection it does not know', async () => {
      const { api, endpoint } = await subject();
      expect((await api.post(endpoint, 'AAAAAAAAAAAAAAA=', 'x')).outcome).toBe('gone');
      expect((await api.close(endpoint, 'AAAAAAAAAAAAAAA=')).outcome).toBe('gone');
    });

    it('answers throttled to a 429, and delivers nothing', async () => {
      const { api, endpoint, connect, answer, clearFaults, next, quiet } = await subject();
      const id = await connect();
      answer(429);
      const result = await api.post(endpoint, id, 'x');
      expect(result.outcome).toBe('throttled');
      expect(result.error).toBeDefined();
      expect(await quiet(id)).toBe(true);
      clearFaults();
      expect((await api.post(endpoint, id, 'y')).outcome).toBe('delivered');
      expect(await next(id)).toBe('y');
    });

    it('answers failed to a 500, and delivers nothing', async () => {
      const { api, endpoint, connect, answer, quiet } = await subject();
      const id = await connect();
      answer(500);
      const result = await api.post(endpoint, id, 'x');
      expect(result.outcome).toBe('failed');
      expect(result.error).toBeDefined();
      expect(await quiet(id)).toBe(true);
    });

    it('answers failed once its deadline passed, without waiting for the answer', async () => {
      const { api, endpoint, connect, delay, timeoutMs } = await subject();
      const id = await connect();
      delay(timeoutMs * 4);
      const started = Date.now();
      const result = await api.post(endpoint, id, 'x');
      expect(result.outcome).toBe('failed');
      expect(Date.now() - started).toBeLessThan(timeoutMs * 3);
    });

    it('closes a connection, which is gone from then on', async () => {
      const { api, endpoint, connect, next } = await subject();
      const [closing, staying] = [await connect(), await connect()];
      expect((await api.close(endpoint, closing)).outcome).toBe('delivered');
      expect((await api.post(endpoint, closing, 'x')).outcome).toBe('gone');
      expect((await api.close(endpoint, closing)).outcome).toBe('gone');
      expect((await api.post(endpoint, staying, 'y')).outcome).toBe('delivered');
      expect(await next(staying)).toBe('y');
    });
  });
}
