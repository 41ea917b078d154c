import type { App } from './context.js';
import { publishOne } from './publish.js';
import { systemClock, within, type CanaryClock } from './canary-clock.js';
import { CanaryInbox } from './canary-inbox.js';
import type { CanarySettings } from './canary-settings.js';
import type { CanarySocket, OpenSocket } from './canary-socket.js';
import { canaryToken } from './canary-token.js';
import { openWebSocket } from './canary-websocket.js';
import type { Telemetry } from './ports.js';
import { assertRoomName } from '../model/rooms.js';
import type { PublishRequest } from '../protocol/publish-request.js';

export { canarySettings, type CanarySettings } from './canary-settings.js';
export type { CanaryClock } from './canary-clock.js';
export type { CanarySocket, OpenSocket, SocketListener } from './canary-socket.js';

/**
 * The canary's room. Reserved: the publish API refuses it, and only a token that names it
 * (a pattern starting with `roomcast.`) may join it.
 */
export const CANARY_ROOM = assertRoomName('roomcast.canary', { allowReserved: true });

/** Everything a run touches, injected: tests run the canary without AWS and without waiting. */
export interface CanaryPorts {
  openSocket: OpenSocket;
  /** The handshake's `token`; undefined: connect without one. */
  token(): Promise<string | undefined>;
  /** Store and fan out one message, like any publish. */
  publish(request: PublishRequest): Promise<unknown>;
  metrics: Pick<Telemetry, 'count' | 'latency'>;
  clock: CanaryClock;
  newId(): string;
}

export interface CanaryReport {
  run: string;
  sent: number;
  received: number;
  lost: number;
  /** Per message that came back: from just before its publish to its arrival. */
  roundTripsMs: number[];
}

/**
 * One canary run: connect to the stage, subscribe, publish `messages` numbered messages
 * to the canary room and wait up to `timeoutMs` for them on the socket. Records
 * CanaryRoundTrip per message that came back and CanaryLost for the others, also when the
 * run fails (then every message not seen counts as lost) and then throws, so that the
 * function's invocation is an Error too.
 */
export async function runCanary(ports: CanaryPorts, settings: CanarySettings): Promise<CanaryReport> {
  const run = ports.newId();
  const inbox = new CanaryInbox(ports.clock, CANARY_ROOM);
  const sentAt = new Map<string, number>();
  let socket: CanarySocket | undefined;
  let failure: { error: unknown } | undefined;
  try {
    socket = await open(ports, settings, inbox);
    socket.send(JSON.stringify({ action: 'subscribe', rooms: [CANARY_ROOM] }));
    if (!(await inbox.until(() => inbox.subscribed.has(CANARY_ROOM), settings.connectTimeoutMs))) {
      throw new Error(`no answer to subscribe within ${settings.connectTimeoutMs} ms`);
    }
    const ids = Array.from({ length: settings.messages }, (_, index) => `canary-${run}-${index + 1}`);
    for (const [index, id] of ids.entries()) {
      sentAt.set(id, ports.clock.now());
      await ports.publish({ room: CANARY_ROOM, id, data: { canary: run, seq: index + 1, of: settings.messages } });
    }
    await inbox.until(() => ids.every((id) => inbox.arrivals.has(id)), settings.timeoutMs);
  } catch (error) {
    failure = { error };
  } finally {
    socket?.close();
  }
  const report = tally(run, settings.messages, sentAt, inbox.arrivals);
  for (const ms of report.roundTripsMs) ports.metrics.latency('CanaryRoundTrip', ms);
  ports.metrics.count('CanaryLost', report.lost);
  if (failure) throw failure.error;
  return report;
}

/** The scheduled function: one run, its metrics flushed, an Error when the run failed. */
export function canaryHandler(app: App, settings: CanarySettings): () => Promise<CanaryReport> {
  const ports: CanaryPorts = {
    openSocket: openWebSocket,
    token: () => canaryToken(app.config, app.secrets, settings.tokenRef, app.now(), [CANARY_ROOM]),
    publish: (request) => publishOne(app, request),
    metrics: app.metrics,
    clock: systemClock,
    newId: app.newId,
  };
  return async () => {
    try {
      const report = await runCanary(ports, settings);
      const { run, sent, received, lost } = report;
      if (lost > 0) app.logger.warn('canary messages lost', { run, sent, received, lost });
      else app.logger.info('canary run', { run, sent, received, lost });
      return report;
    } catch (error) {
      app.logger.error('canary run failed', { error });
      throw error;
    } finally {
      app.metrics.flush();
    }
  };
}

async function open(ports: CanaryPorts, settings: CanarySettings, inbox: CanaryInbox): Promise<CanarySocket> {
  const url = new URL(settings.url);
  const token = await ports.token();
  if (token) url.searchParams.set('token', token);
  const opening = ports.openSocket(url.href, inbox);
  try {
    return await within(ports.clock, opening, settings.connectTimeoutMs, 'opening the socket');
  } catch (error) {
    // A socket that opens after the deadline is closed at once.
    opening.then((late) => late.close(), () => undefined);
    throw error;
  }
}

function tally(run: string, messages: number, sentAt: ReadonlyMap<string, number>, arrivals: ReadonlyMap<string, number>): CanaryReport {
  const roundTripsMs: number[] = [];
  for (const [id, sent] of sentAt) {
    const arrived = arrivals.get(id);
    if (arrived !== undefined) roundTripsMs.push(Math.max(0, arrived - sent));
  }
  return { run, sent: sentAt.size, received: roundTripsMs.length, lost: messages - roundTripsMs.length, roundTripsMs };
}
