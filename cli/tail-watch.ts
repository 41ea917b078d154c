/**
 * What `roomcast tail` does once it knows where to go: the client SDK subscribes to the rooms
 * (and resubscribes after reconnects), each message becomes a line on stdout, the
 * connection's ups and downs become lines on stderr.
 */
import { connect, type RoomcastClientError } from '@roomcast/client/sdk/node';
import type { Context } from './command.js';
import { CliError } from './errors.js';
import { messageLine } from './output.js';

export interface WatchOptions {
  url: string;
  /** A fixed token, or one asked for every connection; neither: connect without one. */
  token?: string;
  getToken?: () => Promise<string>;
  rooms: readonly string[];
  snapshot: number | true;
  /** Stop after this many messages (snapshot messages count). */
  count?: number;
}

/** Resolves after `count` messages or Ctrl-C; rejects with an error the SDK will not retry. */
export function watch(options: WatchOptions, context: Pick<Context, 'out' | 'note' | 'signal'>): Promise<void> {
  const { rooms, count } = options;
  const client = connect({
    url: options.url,
    ...(options.getToken ? { getToken: options.getToken } : options.token ? { token: options.token } : {}),
  });
  return new Promise<void>((resolve, reject) => {
    let done = false;
    let printed = 0;
    let opened = false;
    let lastError: RoomcastClientError | undefined;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      context.signal.removeEventListener('abort', stop);
      client.close();
      if (error) reject(error);
      else resolve();
    };
    const stop = (): void => finish();
    context.signal.addEventListener('abort', stop, { once: true });

    client.on('state', (state) => {
      if (done) return;
      if (state === 'open') {
        context.note(opened ? 'reconnected' : `connected; listening to ${rooms.join(', ')} (Ctrl-C to stop)`);
        opened = true;
      } else if (state === 'reconnecting') {
        context.note(opened ? 'connection lost: reconnecting...' : 'cannot connect yet: retrying...');
      } else if (state === 'closed') {
        finish(lastError ?? new CliError('the connection closed'));
      }
    });
    client.on('error', (error) => {
      if (done) return;
      lastError = error;
      if (error.code === 'HISTORY_INCOMPLETE') context.note(`warning: ${error.message}`);
      else if (error.retryable) context.note(`${error.details instanceof Error ? error.details.message : `${error.code}: ${error.message}`} (retrying)`);
      else finish(error);
    });
    for (const room of rooms) {
      client.subscribe(
        room,
        (message) => {
          if (done) return;
          context.out(messageLine(message));
          printed += 1;
          if (count !== undefined && printed >= count) finish();
        },
        { snapshot: options.snapshot },
      );
    }
  });
}
