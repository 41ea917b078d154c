/**
 * The page's one client of the SDK: opened with the URL and token of the form, replaced by
 * the next Connect, closed by Disconnect. Counts the reconnects of the current client.
 */
import { connect, type RoomcastClient } from '@roomcast/client/sdk';
import type { ReportError } from './alerts.js';
import type { ShowState } from './state-view.js';

export type ClientListener = (client: RoomcastClient | undefined) => void;

export class ConsoleConnection {
  private client: RoomcastClient | undefined;
  private reconnects = 0;
  private readonly listeners = new Set<ClientListener>();

  constructor(
    private readonly show: ShowState,
    private readonly report: ReportError,
  ) {}

  get current(): RoomcastClient | undefined {
    return this.client;
  }

  /** `listener` hears of every new client, and of `undefined` when there is none any more. */
  onChange(listener: ClientListener): void {
    this.listeners.add(listener);
  }

  open(url: string, token: string): void {
    this.close();
    const client = connect({ url, ...(token ? { token } : {}) });
    this.client = client;
    this.reconnects = 0;
    client.on('state', (state) => {
      if (this.client !== client) return;
      if (state === 'reconnecting') this.reconnects += 1;
      this.show(state, this.reconnects);
    });
    client.on('error', (error) => {
      if (this.client === client) this.report({ code: error.code, message: error.message, room: error.room });
    });
    this.show(client.state, this.reconnects);
    this.listeners.forEach((listener) => listener(client));
  }

  close(): void {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    client.close();
    this.show('closed', this.reconnects);
    this.listeners.forEach((listener) => listener(undefined));
  }
}
