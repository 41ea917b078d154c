/** A client wired to fakes, and helpers that play the server's side of the protocol. */
import { connect, type ClientState, type ConnectOptions, type RoomcastClientError, type RoomMessage } from '../../client/sdk/index.js';
import { FakeClock, fakeSockets, flush, type FakeSocket, type Frame } from './fakes.js';
import { positionOf } from '../support/positions.js';

export const pos = (n: number): string => positionOf(n);

/** A message frame of `room` at position `n`. */
export function message(room: string, n: number, id = `${room}#${n}`): Frame {
  return { type: 'message', room, id, pos: pos(n), ts: 1_700_000_000_000 + n, data: { n } };
}

export function item(room: string, n: number): Frame {
  const { id, pos: at, ts, data } = message(room, n);
  return { id, pos: at, ts, data };
}

export function snapshot(room: string, numbers: number[], extra: Frame = { complete: true }): Frame {
  return { type: 'snapshot', room, messages: numbers.map((n) => item(room, n)), ...extra };
}

/** Answer a subscribe frame as the server does: `subscribed`, then snapshots. */
export function answer(socket: FakeSocket, rooms: string[], snapshots: Record<string, number[]> = {}, complete = true): void {
  socket.receive({ type: 'subscribed', rooms });
  for (const [room, numbers] of Object.entries(snapshots)) socket.receive(snapshot(room, numbers, { complete }));
}

export async function setup(options: Partial<ConnectOptions> = {}) {
  const clock = new FakeClock();
  const { Socket, sockets } = fakeSockets(clock);
  const client = connect({ url: 'wss://example.test/prod', token: 'secret', WebSocket: Socket, clock, random: () => 0.5, ...options });
  const states: ClientState[] = [];
  const errors: RoomcastClientError[] = [];
  client.on('state', (state) => states.push(state));
  client.on('error', (error) => errors.push(error));
  await flush();
  const socket = (): FakeSocket => {
    const last = sockets.at(-1);
    if (!last) throw new Error('no socket yet');
    return last;
  };
  /** Subscribe and collect what the room delivers, as position numbers. */
  const collect = (room: string, subscribeOptions: Parameters<typeof client.subscribe>[2] = {}) => {
    const got: number[] = [];
    const roomErrors: RoomcastClientError[] = [];
    const stop = client.subscribe(room, (delivered: RoomMessage) => got.push(Number(delivered.pos.split('.').pop())), {
      ...subscribeOptions,
      onError: (error) => roomErrors.push(error),
    });
    return { got, errors: roomErrors, stop };
  };
  return { client, clock, sockets, socket, states, errors, collect };
}
