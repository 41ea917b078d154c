import { describe, expect, it } from 'vitest';
import { cloudForFile, handshake, Socket } from './support.js';

const IDLE_MS = 1500;
const MAX_DURATION_MS = 4000;
const CONNECTS_PER_SECOND = 3;

const cloud = cloudForFile({ limits: { idleTimeoutMs: IDLE_MS, maxDurationMs: MAX_DURATION_MS, connectRatePerSecond: CONNECTS_PER_SECOND } });

describe("API Gateway's limits, shortened by options", () => {
  it('closes a socket without frames after the idle timeout (1001 Going away)', async () => {
    const socket = await Socket.open(cloud());
    const opened = Date.now();
    expect(await socket.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(Date.now() - opened).toBeGreaterThanOrEqual(IDLE_MS - 100);
  });

  it('closes a busy socket at the maximum duration', async () => {
    const socket = await Socket.open(cloud());
    const opened = Date.now();
    const pinger = setInterval(() => socket.send({ action: 'ping' }), IDLE_MS / 3);
    const closed = await socket.closed;
    clearInterval(pinger);
    expect(closed.code).toBe(1001);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(MAX_DURATION_MS - 100);
    expect(socket.frames.filter((frame) => frame.type === 'pong').length).toBeGreaterThan(2);
  });

  it('refuses handshakes over the connection rate with 429', async () => {
    const url = `${cloud().info.wsUrl}?token=${cloud().info.token}`;
    const outcomes = await Promise.all(Array.from({ length: 4 * CONNECTS_PER_SECOND }, () => handshake(url)));
    const refused = outcomes.filter((outcome) => outcome === 429).length;
    // All arrive within at most two wall-clock seconds: at most 2 x the rate get through.
    expect(refused).toBeGreaterThanOrEqual(2 * CONNECTS_PER_SECOND);
    expect(outcomes.filter((outcome) => outcome !== 429).every((outcome) => outcome === 'open')).toBe(true);
  });
});
