/**
 * One benchmark client: a raw `ws` socket speaking the protocol, cheaper than an SDK client
 * when there are thousands. Frames are stamped with `performance.now()` as they arrive, on
 * the same clock the publisher's send times are read from.
 */
import WebSocket from 'ws';
import { backoffDelay } from '@roomcast/client/publisher';
import { sleep } from './paced.js';

/** A server frame, or API Gateway's own error frame (`{"message": "Internal server error", ...}`). */
export type Frame = { type?: string; room?: string; id?: string; data?: unknown; code?: string; message?: string; [key: string]: unknown };

const OPEN_ATTEMPTS = 8;
const SUBSCRIBE_ATTEMPTS = 8;
const ANSWER_MS = 60_000;
const RETRY = { attempts: OPEN_ATTEMPTS, baseMs: 250, capMs: 8000 };

export class BenchSocket {
  /** Every `message` frame, with its arrival time. */
  onMessage: ((frame: Frame, at: number) => void) | undefined;
  /** Closed by the server or the network (not by `close()`). */
  dropped = false;
  private readonly waiters = new Set<(frame: Frame, at: number) => boolean>();
  private closing = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const at = performance.now();
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.type === 'message') this.onMessage?.(frame, at);
      for (const waiter of this.waiters) if (waiter(frame, at)) this.waiters.delete(waiter);
    });
    ws.on('close', () => {
      if (!this.closing) this.dropped = true;
    });
  }

  /** Opens `url?token=`, retrying refusals a busy gateway gives (429, 5xx) and resets. */
  static async open(url: string, token: string | undefined): Promise<BenchSocket> {
    const address = token ? `${url}?token=${encodeURIComponent(token)}` : url;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await attemptOpen(address);
      if (outcome instanceof WebSocket) return new BenchSocket(outcome);
      const final = typeof outcome === 'number' && (outcome === 401 || outcome === 403);
      if (final || attempt + 1 >= OPEN_ATTEMPTS) throw new Error(`cannot open ${url}: ${typeof outcome === 'number' ? `HTTP ${outcome}` : outcome.message}`);
      await sleep(backoffDelay(attempt, RETRY));
    }
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** The first frame from now on that `match` accepts, with its arrival time. */
  answer(match: (frame: Frame) => boolean, timeoutMs = ANSWER_MS): Promise<{ frame: Frame; at: number }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (frame: Frame, at: number): boolean => {
        if (!match(frame)) return false;
        clearTimeout(timer);
        resolve({ frame, at });
        return true;
      };
      this.waiters.add(waiter);
    });
  }

  /** Subscribes (by default without a snapshot); retries what a busy stage answers with (throttles, internal errors). */
  async subscribe(rooms: readonly string[], snapshot = 0): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const answer = this.answer((frame) => frame.type === 'subscribed' || isError(frame));
      this.send({ action: 'subscribe', rooms, snapshot });
      const { frame } = await answer;
      if (frame.type === 'subscribed') return;
      if (!isRetryable(frame) || attempt + 1 >= SUBSCRIBE_ATTEMPTS) throw new Error(`subscribe refused: ${describeError(frame)}`);
      await sleep(backoffDelay(attempt, RETRY));
    }
  }

  close(): Promise<void> {
    this.closing = true;
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** A protocol error, or API Gateway's own error frame (no `type`, a `message`). */
export function isError(frame: Frame): boolean {
  return frame.type === 'error' || (frame.type === undefined && typeof frame.message === 'string');
}

export function isRetryable(frame: Frame): boolean {
  return frame.type === 'error' ? frame.retryable === true : true;
}

export function describeError(frame: Frame): string {
  return frame.type === 'error' ? String(frame.code) : String(frame.message);
}

function attemptOpen(address: string): Promise<WebSocket | number | Error> {
  const ws = new WebSocket(address, { perMessageDeflate: false });
  return new Promise((resolve) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    // Kept for the socket's life: an error after the handshake ends in 'close'.
    ws.on('error', (error) => resolve(error));
  });
}
