/** The local stand-in for DynamoDB global tables, between the regions of one local cloud. */
export { startReplicator, type ReplicaRegion, type Replicator, type ReplicatorOptions, type ReplicatorStats } from './replicator.js';
export { ReplicationDelays, type ReplicationDelayControl } from './delays.js';
export { ReplicationLedger, type ObservedChange, type ReplicaWrite, type WriteOutcome } from './ledger.js';
export { fingerprint, toAttributeMap, type Image } from './images.js';
