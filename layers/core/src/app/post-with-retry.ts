import type { App } from './context.js';
import { fullJitter, type BackoffOptions } from '../model/backoff.js';
import { retryable, type PostOutcome } from './ports.js';
import type { SocketRequest } from './socket-request.js';
import { RoomcastError } from '../errors.js';

/** How to post one frame to connections, and how often to try again. */
export interface PostRetry {
  /** The management API's endpoint of the stage. */
  endpoint: string;
  frame: string;
  /** Rounds of posts at the most, the first one included. */
  attempts: number;
  /** The pause before retry `n` (1, 2, ...) is `fullJitter(n, backoff)`. */
  backoff: BackoffOptions;
  /** Runs each post (deliver's slot and pace); at once when absent. */
  schedule?: <T>(post: () => Promise<T>) => Promise<T>;
  /** After each round, before the pause of the next: what the caller does with its outcomes. */
  onRound?: (round: PostRound) => Promise<void>;
}

/** One round of posts: the connections it reached, those gone, and those worth trying again. */
export interface PostRound {
  /** 0 for the first posts, then 1, 2, ... for the retries. */
  attempt: number;
  delivered: string[];
  gone: string[];
  /** Posts API Gateway answered with 429. */
  throttled: number;
  retry: string[];
  /** An outcome of the round worth trying again, for the log: the first. */
  failure?: PostFailure;
}

export interface PostFailure {
  outcome: PostOutcome;
  error?: unknown;
}

/** What the posts of one frame came to, counted. */
export interface PostCounts {
  delivered: number;
  gone: number;
  /** Posts API Gateway answered with 429. */
  throttled: number;
  /** Posts tried again inside this invocation. */
  retried: number;
}

export interface PostRetryResult extends PostCounts {
  /** Connections whose posts still failed after the last attempt. */
  pending: string[];
  /** The last round's failure, when connections are pending. */
  failure?: PostFailure;
}

/**
 * Post `frame` to each connection, the posts of a round side by side. A connection that
 * is delivered or gone is done; one whose post was throttled or failed (`retryable`) is
 * posted again in the next round, after a full-jitter pause, until `attempts` rounds are
 * spent. What is still pending then is the caller's to re-enqueue or to give up on.
 */
export async function postWithRetry(app: Pick<App, 'connectionsApi' | 'sleep'>, connectionIds: readonly string[], retry: PostRetry): Promise<PostRetryResult> {
  const schedule = retry.schedule ?? ((post) => post());
  const result: PostRetryResult = { delivered: 0, gone: 0, throttled: 0, retried: 0, pending: [...connectionIds] };
  for (let attempt = 0; attempt < retry.attempts && result.pending.length > 0; attempt += 1) {
    if (attempt > 0) {
      result.retried += result.pending.length;
      await app.sleep(fullJitter(attempt, retry.backoff));
    }
    const ids = result.pending;
    const answers = await Promise.all(ids.map((id) => schedule(() => app.connectionsApi.post(retry.endpoint, id, retry.frame))));
    const round = roundOf(attempt, ids, answers);
    result.delivered += round.delivered.length;
    result.gone += round.gone.length;
    result.throttled += round.throttled;
    result.pending = round.retry;
    result.failure = round.failure;
    await retry.onRound?.(round);
  }
  return result;
}

function roundOf(attempt: number, ids: readonly string[], answers: ReadonlyArray<{ outcome: PostOutcome; error?: unknown }>): PostRound {
  const round: PostRound = { attempt, delivered: [], gone: [], throttled: 0, retry: [] };
  answers.forEach((answer, index) => {
    const id = ids[index]!;
    if (answer.outcome === 'delivered') round.delivered.push(id);
    else if (answer.outcome === 'gone') round.gone.push(id);
    if (answer.outcome === 'throttled') round.throttled += 1;
    if (retryable(answer.outcome)) {
      round.retry.push(id);
      round.failure ??= { outcome: answer.outcome, error: answer.error };
    }
  });
  return round;
}

/** The pause before a socket's own frame is posted again: [0, 50 ms) first, then twice as long each time, up to 1 s. */
const FRAME_BACKOFF: BackoffOptions = { baseMs: 25, capMs: 1000 };

/**
 * Post frames to the connection a socket request came from, in order, before the route's
 * answer (subscribe's snapshots, refresh's `unsubscribed`). A connection that is gone ends
 * it quietly; one still failing after its attempts is a retryable INTERNAL.
 */
export async function postToSender(app: App, request: SocketRequest, frames: readonly string[]): Promise<void> {
  const { connectionsEndpoint: endpoint, connectionId } = request;
  for (const frame of frames) {
    const sent = await postWithRetry(app, [connectionId], { endpoint, frame, attempts: app.config.postAttempts, backoff: FRAME_BACKOFF });
    if (sent.gone > 0) return;
    if (sent.pending.length > 0) throw new RoomcastError('INTERNAL', `could not post to ${connectionId}: ${sent.failure?.outcome}`, { cause: sent.failure?.error });
  }
}
