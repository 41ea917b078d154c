/** The local stand-in for DynamoDB Time to Live, which DynamoDB Local does not run. */
export { startTtlSweeper, type TtlStats, type TtlSweep, type TtlSweepOptions, type TtlSweeper, type TtlSweeperOptions, type TtlTable } from './sweeper.js';
export { expiredCondition, expiryWindow, isExpired, TTL_MAX_AGE_SECONDS, type ExpiryWindow } from './expiry.js';
