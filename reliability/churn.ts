/**
 * Connection churn: sockets open at a steady rate, subscribe to one room (every third one
 * to a quiet room, which nobody publishes to), live a short while and close. A share of them close while the gateway's `dropDisconnect` fault is in
 * force, so their `$disconnect` is lost and their rows stay behind (stale connections).
 *
 * The fault is global, so closes are serialised in rounds: first the ordinary closes, until
 * the gateway has seen every one of them closed (its `$disconnect` is then under way), then
 * the fault goes on, the stale ones are dropped, and it goes off once the gateway has seen
 * them closed. So exactly the stale ones lose their `$disconnect`.
 */
import type { CloudInfo, FaultControls } from '@roomcast/local';
import type { ConnectionIds } from './connection-ids.js';
import { LoadSocket } from './load-socket.js';
import { sleep } from './settle.js';

export interface ChurnOptions {
  info: CloudInfo;
  ids: ConnectionIds;
  /** The gateway's open connection ids and its faults. */
  gateway: { connections(): string[]; faults: FaultControls };
  perSecond: number;
  /** Share of the churned connections that close without `$disconnect`, 0..1. */
  staleShare: number;
  /** Rooms that are published to while (and after) the churn runs. */
  publishedRooms: string[];
  /** Rooms nobody publishes to: a stale connection there only goes by TTL. */
  quietRooms: string[];
  /** How long each connection stays open after subscribing, in ms. */
  lifeMs: number;
  /** Label prefix, unique to the run. */
  tag: string;
}

export interface ChurnFigures {
  opened: number;
  closedWithDisconnect: number;
  /** Closed while `$disconnect` was dropped: stale connections. */
  closedWithoutDisconnect: number;
  /** Of those, subscribed to a quiet room (no message ever answers 410 for them). */
  staleInQuietRooms: number;
  /** Connections that could not open or subscribe, or were skipped because too many were in flight. */
  failures: number;
  firstFailure?: string;
}

interface Closing {
  socket: LoadSocket;
  id: string;
  stale: boolean;
  done(): void;
}

export function startChurn(options: ChurnOptions): { stop(): Promise<ChurnFigures> } {
  const figures: ChurnFigures = { opened: 0, closedWithDisconnect: 0, closedWithoutDisconnect: 0, staleInQuietRooms: 0, failures: 0 };
  const cycles = new Set<Promise<void>>();
  const queue: Closing[] = [];
  let draining: Promise<void> | undefined;
  const started = Date.now();
  let launched = 0;
  // A slow machine must not pile up sockets without end.
  const maxInFlight = Math.max(10, Math.ceil(options.perSecond * (options.lifeMs / 1000 + 10)));

  const closeRound = async (batch: Closing[], stale: boolean): Promise<void> => {
    if (batch.length === 0) return;
    if (stale) options.gateway.faults.set({ dropDisconnect: true });
    try {
      await Promise.all(batch.map((item) => (stale ? item.socket.terminate() : item.socket.close())));
      const ids = new Set(batch.map((item) => item.id));
      while (options.gateway.connections().some((id) => ids.has(id))) await sleep(5);
    } finally {
      if (stale) options.gateway.faults.set({ dropDisconnect: false });
    }
    batch.forEach((item) => item.done());
  };
  const drain = (): Promise<void> =>
    (draining ??= (async () => {
      while (queue.length > 0) {
        const batch = queue.splice(0);
        await closeRound(batch.filter((item) => !item.stale), false);
        await closeRound(batch.filter((item) => item.stale), true);
      }
    })().finally(() => (draining = undefined)));
  const close = (socket: LoadSocket, id: string, stale: boolean): Promise<void> =>
    new Promise((done) => {
      queue.push({ socket, id, stale, done });
      void drain();
    });

  const cycle = async (k: number): Promise<void> => {
    // 3 shares no factor with the spacing of stale ones at usual shares (1/4, 1/2): both kinds go quiet.
    const quiet = k % 3 === 2;
    const room = quiet ? options.quietRooms[k % options.quietRooms.length]! : options.publishedRooms[k % options.publishedRooms.length]!;
    const stale = Math.floor((k + 1) * options.staleShare) > Math.floor(k * options.staleShare);
    const label = `${options.tag}-churn-${k}`;
    let socket: LoadSocket | undefined;
    try {
      socket = await LoadSocket.open(options.info.wsUrl, options.info.token, label);
      figures.opened += 1;
      await socket.subscribe([room]);
      const id = await options.ids.of(label);
      await sleep(options.lifeMs);
      await close(socket, id, stale);
      options.ids.forget(label);
      if (stale) {
        figures.closedWithoutDisconnect += 1;
        if (quiet) figures.staleInQuietRooms += 1;
      } else {
        figures.closedWithDisconnect += 1;
      }
    } catch (error) {
      figures.failures += 1;
      figures.firstFailure ??= String(error);
      // Not counted either way; what it leaves behind shows in the table.
      if (socket) await close(socket, '', false);
    }
  };

  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * options.perSecond);
    while (launched < due) {
      const k = launched++;
      if (cycles.size >= maxInFlight) {
        figures.failures += 1;
        figures.firstFailure ??= `skipped: ${cycles.size} connections already in flight`;
        continue;
      }
      const run = cycle(k).finally(() => cycles.delete(run));
      cycles.add(run);
    }
  }, 20);

  return {
    async stop() {
      clearInterval(timer);
      while (cycles.size > 0) await Promise.allSettled([...cycles]);
      return figures;
    },
  };
}
