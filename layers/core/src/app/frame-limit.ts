import type { App } from './context.js';
import type { SocketRequest } from './socket-request.js';
import { RoomcastError } from '../errors.js';
import { FRAME_READ_UNITS, ReadAllowance } from '../model/read-budget.js';

/**
 * Every frame spends from its connection's budget (model/frame-budget.ts) before any work.
 * Over it, the frame is refused with RATE_LIMITED (retryable, with `retryAfterMs`). A
 * connection that keeps sending anyway is closed: on AWS the stage's throttle is shared by
 * every client, and only closing the flooding socket gives the others their share back.
 * One log line per flood window, not one per refused frame.
 */
export async function admitFrame(app: App, request: SocketRequest): Promise<void> {
  const verdict = app.frameBudgets.take(request.connectionId, app.now());
  if (verdict.admit) return;
  const { frameRate, frameBurst } = app.config;
  if (verdict.first) app.logger.warn('connection rate limited', { frameRate, frameBurst });
  if (verdict.close) {
    const { outcome, error } = await app.connectionsApi.close(request.connectionsEndpoint, request.connectionId);
    app.logger.warn('flooding connection closed', { outcome, ...(error ? { error: String(error) } : {}) });
  }
  throw new RoomcastError('RATE_LIMITED', `this connection sends more than ${frameRate} frames per second (${frameBurst} at once)`, {
    details: { retryAfterMs: verdict.retryAfterMs },
  });
}

/**
 * What the frame just admitted may read from history beyond its rooms' snapshot windows: at
 * most FRAME_READ_UNITS, and no more than its connection's budget can pay for.
 */
export function readAllowance(app: App, request: SocketRequest): ReadAllowance {
  return new ReadAllowance(app.frameBudgets.readAllowance(request.connectionId, FRAME_READ_UNITS));
}

/** Charge the connection's budget for what the frame read: a subscribe that reads much costs several frames. */
export function chargeReads(app: App, request: SocketRequest, allowance: ReadAllowance): void {
  app.frameBudgets.chargeReads(request.connectionId, allowance.spent);
}
