/**
 * A light WebSocket client for load scenarios: a real `ws` socket that subscribes and keeps
 * only the ids of the messages it got (and how many came twice), not the frames. Its
 * User-Agent is a label of the caller's choosing, which `@connections` GET answers, so that
 * the label can be matched to the gateway's connection id (see connection-ids.ts).
 */
import WebSocket from 'ws';

const SUBSCRIBE_TIMEOUT_MS = 30_000;

export class LoadSocket {
  /** Ids of the messages received, once each. */
  readonly received = new Set<string>();
  duplicates = 0;
  readonly closed: Promise<void>;
  private answer: ((frame: { type: string; code?: string }) => void) | undefined;

  private constructor(
    readonly label: string,
    private readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => this.receive(data.toString()));
    ws.on('error', () => undefined); // 'close' follows
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
  }

  /** Opens `wsUrl?token=...` with `label` as its User-Agent; rejects when the handshake fails. */
  static open(wsUrl: string, token: string, label: string): Promise<LoadSocket> {
    const ws = new WebSocket(`${wsUrl}?token=${encodeURIComponent(token)}`, { headers: { 'user-agent': label } });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new LoadSocket(label, ws)));
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        ws.terminate();
        reject(new Error(`handshake answered ${res.statusCode}`));
      });
      ws.once('error', reject);
    });
  }

  /** Subscribes (no snapshot) and waits for `subscribed`; rejects on an error frame. */
  subscribe(rooms: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to subscribe within ${SUBSCRIBE_TIMEOUT_MS} ms`)), SUBSCRIBE_TIMEOUT_MS);
      this.answer = (frame) => {
        clearTimeout(timer);
        this.answer = undefined;
        if (frame.type === 'subscribed') resolve();
        else reject(new Error(`subscribe answered ${JSON.stringify(frame)}`));
      };
      this.ws.send(JSON.stringify({ action: 'subscribe', rooms, snapshot: 0 }));
    });
  }

  /** Closes with a close frame (the gateway runs `$disconnect`). */
  close(): Promise<void> {
    this.ws.close();
    return this.closed;
  }

  /** Drops the TCP connection without a close frame. */
  terminate(): Promise<void> {
    this.ws.terminate();
    return this.closed;
  }

  private receive(text: string): void {
    const frame = JSON.parse(text) as { type: string; id?: string; code?: string; message?: string };
    if (frame.type === 'message' && frame.id !== undefined) {
      if (this.received.has(frame.id)) this.duplicates += 1;
      else this.received.add(frame.id);
    } else if (frame.type === 'subscribed' || frame.type === 'error' || (frame.type === undefined && frame.message !== undefined)) {
      this.answer?.(frame);
    }
  }
}
