/**
 * The publish ledger: one record per (room, id), so that a message is published exactly
 * once however often its request is retried, and in any region. Pure: the messages store
 * (adapters/messages-store.ts) keeps the records and carries out these decisions, each in
 * one conditional write.
 *
 *   (none) --append, claiming the id--> positioned --fan-out planned--> planned
 *                   claimed --append under the claim--> positioned
 *
 * - A new id is stored at its room's next position in the same transaction that creates
 *   its record, `positioned` (a position exists only with its message).
 * - An id that has a record is answered from it once `planned`; while a request holds it
 *   (claimed or positioned, and not stale) a retry is told the publish is in progress.
 * - A claim not renewed for `publishClaimMs` is stale: its request died half-way, and a
 *   retry takes it over (`canTakeOver`, the condition of the store's claim) and finishes it:
 *   at the same position when this region gave it (the message is stored again, the same
 *   item), or at a new position of this region when there is none or another region gave
 *   it (this region cannot know whether that one was stored, and a message stored twice
 *   under one id is dropped by the client SDK, while one lost is not).
 * - A request that fails after its claim releases it (claimedAt 0), so a retry takes over at once.
 * - The record keeps the fingerprint of the id's room and data (model/publish-fingerprint.ts):
 *   a request whose fingerprint differs never claims the record, is never answered for it,
 *   and is refused (`reused`). Records written before fingerprints match any.
 */
export type PublishState = 'claimed' | 'positioned' | 'planned';

export interface PublishRecord {
  state: PublishState;
  token: string;
  claimedAt: number;
  pos?: string;
  ts?: number;
  /** The room and data the id stands for (absent on records older than fingerprints). */
  fingerprint?: string;
}

/** What the store answered to a claim: won (the record as it now is, held by this request) or not (the record that stands). */
export type ClaimResult = { won: true; record: PublishRecord } | { won: false; record: PublishRecord | undefined };

/** What a publish of an id that already has a record does next. */
export type LedgerStep =
  | { kind: 'answer'; pos: string }
  | { kind: 'in-progress' }
  | { kind: 'store-again'; pos: string; ts: number }
  | { kind: 'store-new' }
  | { kind: 'reused' };

/** Whether a request with this fingerprint is the one the record stands for. */
export function sameRequest(record: PublishRecord, fingerprint: string): boolean {
  return record.fingerprint === undefined || record.fingerprint === fingerprint;
}

/** A claim is won over a record that does not exist, or is stale, not yet planned, and for the same request. */
export function canTakeOver(record: PublishRecord | undefined, staleBefore: number, fingerprint: string): boolean {
  return record === undefined || (record.claimedAt < staleBefore && record.state !== 'planned' && sameRequest(record, fingerprint));
}

/** When a claim goes stale: `publishClaimMs` after it was made (or renewed). */
export function staleBefore(now: number, publishClaimMs: number): number {
  return now - publishClaimMs;
}

/**
 * After claiming an id that had a record: refuse it when the record stands for another
 * room or other data; answer it when its publish finished; say it is in progress when
 * another request holds it; else (the claim won) store it again at the
 * position this region gave it, or at a new one.
 */
export function nextStep(claim: ClaimResult, region: string, originOf: (pos: string) => string, fingerprint: string): LedgerStep {
  if (claim.record && !sameRequest(claim.record, fingerprint)) return { kind: 'reused' };
  if (!claim.won) {
    // Only a finished publish answers for the id: one still under way may yet fail, and
    // then this request's retry is what finishes it.
    if (claim.record?.state === 'planned' && claim.record.pos) return { kind: 'answer', pos: claim.record.pos };
    return { kind: 'in-progress' };
  }
  const { pos, ts } = claim.record;
  if (pos !== undefined && ts !== undefined && originOf(pos) === region) return { kind: 'store-again', pos, ts };
  return { kind: 'store-new' };
}
