import { within } from './clock.js';
import { CanaryInbox } from './inbox.js';
import type { CanaryPorts, CanarySocket } from './ports.js';
import type { CanarySettings } from './settings.js';
import { assertRoomName } from '../../model/rooms.js';

export { canarySettings, type CanarySettings } from './settings.js';
export type { CanaryClock, CanaryPorts, CanarySocket, OpenSocket, SocketListener } from './ports.js';

/**
 * The canary's room. Reserved: the publish API refuses it, and only a token that names it
 * (a pattern starting with `roomcast.`) may join it.
 */
export const CANARY_ROOM = assertRoomName('roomcast.canary', { allowReserved: true });

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
