/** The dials of the delivery scenario, and its two sizes: the full run and the one `npm test` runs. */
import type { FaultSizes } from './fault-plan.js';

export interface DeliverySize {
  /** Subscribers, half in each region. */
  subscribers: number;
  rooms: number;
  roomsPerSubscriber: number;
  publishersPerRegion: number;
  messagesPerPublisher: number;
  /** Pause of each publisher after each message. */
  paceMs: number;
  /** Times the fault plan's round is taken. */
  rounds: number;
  /** API Gateway's 2 h cut of every connection, compressed. */
  maxConnectionSeconds: number;
  visibilityTimeoutSeconds: number;
  publishClaimMs: number;
  faults: FaultSizes;
  /** After the publishing, give up waiting for the apps (or the queues) once nothing moved for this long. */
  stallSeconds: number;
}

export const FULL_SIZE: DeliverySize = {
  subscribers: 16,
  rooms: 4,
  roomsPerSubscriber: 2,
  publishersPerRegion: 2,
  messagesPerPublisher: 60,
  paceMs: 100,
  rounds: 2,
  maxConnectionSeconds: 15,
  visibilityTimeoutSeconds: 4,
  publishClaimMs: 3000,
  faults: { burst: 25, crashAfterMs: 20, holdMs: 1500, replicationDelayMs: 100 },
  stallSeconds: 60,
};

export const SMALL_SIZE: DeliverySize = {
  ...FULL_SIZE,
  subscribers: 4,
  rooms: 2,
  roomsPerSubscriber: 2,
  publishersPerRegion: 1,
  messagesPerPublisher: 12,
  rounds: 1,
  maxConnectionSeconds: 5,
  visibilityTimeoutSeconds: 3,
  faults: { ...FULL_SIZE.faults, burst: 8, holdMs: 1000 },
  stallSeconds: 30,
};
