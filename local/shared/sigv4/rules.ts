/**
 * API Gateway's rules for a SigV4 claim before any signature is computed: the credential
 * scope (terminator, service `execute-api`, region, date) and the time (5 minutes of
 * clock skew either way; a presigned URL's X-Amz-Expires instead on the old side), with
 * the messages API Gateway answers.
 */
import { badDate, longDateOf, parseLongDate, type SigV4Claim } from './claim.js';

export const SERVICE = 'execute-api';
/** How far a signature's date may be from the clock, either way. */
/** API Gateway's window: its answer names it ("... - 5 min."). */
export const SKEW_MINUTES = 5;
const SKEW_MS = SKEW_MINUTES * 60 * 1000;

/** What is wrong with the credential scope, in API Gateway's words; undefined when nothing is. */
export function checkScope(claim: SigV4Claim, region: string): string | undefined {
  const { scope, longDate } = claim;
  if (scope.terminator !== 'aws4_request') return `Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `;
  if (scope.service !== SERVICE) return `Credential should be scoped to correct service: '${SERVICE}'. `;
  if (scope.region !== region) return `Credential should be scoped to a valid region. `;
  if (scope.date !== longDate.slice(0, 8)) {
    return `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${longDate.slice(0, 8)}', from '${longDate}'.`;
  }
  return undefined;
}

/** Whether the signature is current at `now`: within the skew, or a presigned URL within its X-Amz-Expires. */
export function checkTime(claim: SigV4Claim, now: number): string | undefined {
  const signedAt = parseLongDate(claim.longDate);
  if (Number.isNaN(signedAt)) return badDate(claim.longDate);
  if (signedAt > now + SKEW_MS) {
    return `Signature not yet current: ${claim.longDate} is still later than ${longDateOf(now + SKEW_MS)} (${longDateOf(now)} + ${SKEW_MINUTES} min.)`;
  }
  if (claim.expires !== undefined) {
    if (signedAt + claim.expires * 1000 < now) {
      return `Signature expired: ${claim.longDate} is now earlier than ${longDateOf(now - claim.expires * 1000)} (${longDateOf(now)} - ${claim.expires} sec.)`;
    }
  } else if (signedAt < now - SKEW_MS) {
    return `Signature expired: ${claim.longDate} is now earlier than ${longDateOf(now - SKEW_MS)} (${longDateOf(now)} - ${SKEW_MINUTES} min.)`;
  }
  return undefined;
}
