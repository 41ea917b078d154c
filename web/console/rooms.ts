/**
 * The rooms the page shows. A joined room is subscribed on the current client, and again
 * on the next one after Connect; joining a room again (or on a new client) resumes after
 * the last position shown, so the page gets exactly what it missed, each message once.
 */
import type { RoomcastClient, RoomcastClientError, SubscribeOptions } from '@roomcast/client/sdk';
import type { ConsoleConnection } from './connection.js';
import { RoomView } from './room-view.js';

interface RoomEntry {
  view: RoomView;
  /** Joined by the user (not left, not refused). */
  wanted: boolean;
  /** Recent messages to show first, when nothing was shown yet. */
  snapshot: number;
  unsubscribe?: (() => void) | undefined;
}

export type RoomsChanged = (rooms: string[]) => void;

export class Rooms {
  private readonly entries = new Map<string, RoomEntry>();

  constructor(
    private readonly container: HTMLElement,
    private readonly connection: ConsoleConnection,
    private readonly changed: RoomsChanged,
  ) {
    connection.onChange(() => {
      for (const entry of this.entries.values()) {
        entry.unsubscribe = undefined;
        this.subscribe(entry);
      }
    });
  }

  join(room: string, snapshot: number): void {
    let entry = this.entries.get(room);
    if (!entry) {
      const created: RoomEntry = { wanted: true, snapshot, view: new RoomView(room, { toggle: () => this.toggle(created), remove: () => this.remove(created) }) };
      entry = created;
      this.entries.set(room, entry);
      this.container.prepend(entry.view.panel);
      this.changed([...this.entries.keys()]);
    }
    entry.wanted = true;
    entry.snapshot = snapshot;
    this.subscribe(entry);
  }

  private toggle(entry: RoomEntry): void {
    if (entry.wanted) this.leave(entry, 'left');
    else this.join(entry.view.room, entry.snapshot);
  }

  private remove(entry: RoomEntry): void {
    this.leave(entry, 'removed');
    entry.view.panel.remove();
    this.entries.delete(entry.view.room);
    this.changed([...this.entries.keys()]);
  }

  private leave(entry: RoomEntry, why: string): void {
    entry.wanted = false;
    entry.unsubscribe?.();
    entry.unsubscribe = undefined;
    entry.view.show(false, why);
  }

  private subscribe(entry: RoomEntry): void {
    if (!entry.wanted) return;
    const client = this.connection.current;
    if (!client || client.state === 'closed') return entry.view.show(true, 'waiting for a connection');
    if (entry.unsubscribe) return;
    entry.unsubscribe = client.subscribe(entry.view.room, (message) => entry.view.add(message), this.options(entry, client));
    entry.view.show(true, entry.view.last === undefined ? 'joined' : `joined, resumed after pos ${entry.view.last}`);
  }

  private options(entry: RoomEntry, client: RoomcastClient): SubscribeOptions {
    const onError = (error: RoomcastClientError): void => {
      if (this.connection.current !== client) return;
      // Lost history is reported and the room stays joined; any other error drops the room.
      if (error.code === 'HISTORY_INCOMPLETE') return entry.view.show(true, 'joined, some history was lost');
      entry.unsubscribe = undefined;
      entry.wanted = false;
      entry.view.show(false, `refused: ${error.code}`);
    };
    if (entry.view.last !== undefined) return { since: entry.view.last, onError };
    return entry.snapshot > 0 ? { snapshot: entry.snapshot, onError } : { onError };
  }
}
