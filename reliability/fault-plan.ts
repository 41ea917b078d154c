/**
 * The faults of the delivery scenario: what each kind is, the request that injects it
 * (the local cloud's `POST /_roomcast/faults` body), and the plan: one round of steps over
 * the two regions, repeated, spread evenly over the publishing.
 */
import type { FaultRequest } from '@roomcast/local';

export type FaultKind =
  | 'post429'
  | 'post500'
  | 'deliverCrash'
  | 'streamCrash'
  | 'planCrash'
  | 'publishFailure'
  | 'publishCrash'
  | 'dropSockets'
  | 'dropDisconnect'
  | 'replicationHold';

export interface FaultSizes {
  /** Posts each burst of 429 or 500 takes. */
  burst: number;
  /** How long after it started a crashing invocation ends. */
  crashAfterMs: number;
  /** A held region's changes reach the other one this late. */
  holdMs: number;
  /** The replication delay outside holds. */
  replicationDelayMs: number;
}

export interface FaultStep {
  kind: FaultKind;
  /** Index of the region whose control endpoint takes the request. */
  region: number;
  request: FaultRequest;
  /** Ends an earlier fault (not counted as an injection). */
  undo: boolean;
  /** Fraction of the publishing done when the step is taken, in (0, 1). */
  at: number;
}

/** What each kind does, for the report. */
export function describeFault(kind: FaultKind, sizes: FaultSizes): string {
  const text: Record<FaultKind, string> = {
    post429: `a burst of ${sizes.burst} PostToConnection calls in a row answered 429 (throttled), not delivered: the deliver function retries with full jitter, then re-enqueues what still fails`,
    post500: `the same with 500 (an internal error of API Gateway)`,
    deliverCrash: `the deliver function's next invocation crashes ${sizes.crashAfterMs} ms after it started, mid-batch: the posts made by then are done, and its whole batch of delivery jobs comes back from SQS after the visibility timeout and is posted again`,
    planCrash: `the plan function crashes ${sizes.crashAfterMs} ms into an invocation, mid-segment: the delivery jobs it enqueued by then stay, and its plan tasks come back from SQS after the visibility timeout and are planned again from their start (counted as PlanRetried; the SDK drops what is posted twice)`,
    streamCrash: `the stream function (the fan-out of messages replicated from the other region) crashes ${sizes.crashAfterMs} ms into an invocation: the stream batch is retried from its start`,
    publishFailure: `the publish function's next 2 invocations fail before they run: the HTTP API answers 500 and the publisher retries with the same id`,
    publishCrash: `the publish function crashes ${sizes.crashAfterMs} ms into a request, anywhere between claiming the id and planning the fan-out: the publisher retries with the same id, and the retry takes the claim over once it has expired`,
    dropSockets: `every socket of the region is dropped without a close frame (1006): clients reconnect and resume from their cursors`,
    dropDisconnect: `\`$disconnect\` is not run while it lasts: connections that close leave their subscriptions behind, and posts to them answer 410 Gone`,
    replicationHold: `the region's changes reach the other region ${sizes.holdMs} ms late instead of ${sizes.replicationDelayMs} ms`,
  };
  return text[kind];
}

/** One round; `a` and `b` are the two regions' indexes (they swap every round). */
function round(a: number, b: number, sizes: FaultSizes): Array<Omit<FaultStep, 'at'>> {
  const step = (kind: FaultKind, region: number, request: FaultRequest, undo = false) => ({ kind, region, request, undo });
  const crash = (name: string) => ({ failFunction: { name, count: 1, afterMs: sizes.crashAfterMs } });
  return [
    step('dropDisconnect', a, { dropDisconnect: true }),
    step('post429', a, { post: { status: 429, share: 1, count: sizes.burst } }),
    step('deliverCrash', b, crash('deliver')),
    step('dropSockets', a, { dropSockets: true }),
    step('post500', b, { post: { status: 500, share: 1, count: sizes.burst } }),
    step('replicationHold', a, { replicationDelayMs: sizes.holdMs }),
    step('streamCrash', b, crash('stream')),
    step('planCrash', a, crash('plan')),
    step('publishFailure', a, { failFunction: { name: 'publish', count: 2 } }),
    step('publishCrash', b, crash('publish')),
    step('replicationHold', a, { replicationDelayMs: sizes.replicationDelayMs }, true),
    step('dropSockets', b, { dropSockets: true }),
    step('deliverCrash', a, crash('deliver')),
    step('planCrash', b, crash('plan')),
    step('dropDisconnect', a, { dropDisconnect: false }, true),
  ];
}

/** `rounds` rounds over two regions, the steps spread evenly over the publishing. */
export function faultPlan(rounds: number, sizes: FaultSizes): FaultStep[] {
  const steps = Array.from({ length: rounds }, (_, r) => round(r % 2, (r + 1) % 2, sizes)).flat();
  return steps.map((step, index) => ({ ...step, at: (index + 1) / (steps.length + 1) }));
}
