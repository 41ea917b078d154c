/**
 * The monthly cost of a traffic profile by AWS component, its floor (the API Gateway
 * message every subscriber gets per publish), AWS AppSync Events' price for the same
 * traffic, and the overhead of a measured fan-out (pure: prices from ./prices.ts, request
 * counts from ./usage.ts).
 */
import { AWS_LIMITS } from './aws-limits.js';
import { formatNumber, formatPrice } from './format.js';
import type { FanoutCost } from './fanout-measurement.js';
import { frameBytes, messageItemBytes, sampleMessage, subscriptionRowBytes } from './item-sizes.js';
import { PRICES, PRICES_REGION, PRICES_TAKEN, priceOf, type Price } from './prices.js';
import { FUNCTIONS } from './template-facts.js';
import { MESSAGE_METER_BYTES, addUsage, deliverInvocationMs, emptyUsage, indexWriteUnits, publishUsage, connectionUsage, type Setup, type Usage } from './usage.js';

export const DAYS_PER_MONTH = 30;
export const MINUTES_PER_MONTH = DAYS_PER_MONTH * 24 * 60;
const SECONDS_PER_MONTH = MINUTES_PER_MONTH * 60;
const GB = 1024 ** 3;
/** DynamoDB storage counts 100 bytes of overhead per item, and per index entry. */
const ITEM_OVERHEAD_BYTES = 100;

export interface Profile {
  /** Clients, each with one connection while connected. */
  connections: number;
  /** Connected minutes of each client in a month. */
  minutesPerConnection: number;
  /** Publishes per second, all rooms together. */
  publishesPerSecond: number;
  subscribersPerRoom: number;
  /** Bytes of a message's `data` (JSON). */
  messageBytes: number;
  roomsPerConnection: number;
  /** Messages of each room's snapshot when a client (re)subscribes. */
  snapshot: number;
  /** How long a connection lasts before the client opens a new one. */
  lifetimeMinutes: number;
}

export interface CostLine {
  component: string;
  quantity: number;
  /** What `quantity` counts, short. */
  measure: string;
  /** The price, as a phrase: `$1.00 per million messages`, or `price not found`. */
  rate: string;
  /** Dollars; null when the price was not found. */
  usd: number | null;
}

export interface MonthlyCost {
  profile: Profile;
  prices: { taken: string; region: string };
  usage: Usage;
  lines: CostLine[];
  totalUsd: number;
  /** The API Gateway messages of the deliveries alone: no design can post fewer. */
  floor: CostLine;
  appsyncEvents: { lines: CostLine[]; knownUsd: number; complete: boolean };
  warnings: string[];
}

const line = (component: string, quantity: number, price: Price): CostLine => ({ component, quantity, measure: price.measure, rate: rateOf(price), usd: priceOf(price, quantity) });

function rateOf(price: Price): string {
  if (price.usd === null) return 'price not found';
  const million = price.per === 1_000_000;
  const base = `${formatPrice(price.usd)} per ${million ? `million ${price.measure}` : price.measure}`;
  const tier = price.above?.[0];
  return tier ? `${base} (${formatPrice(tier.usd)} beyond ${formatNumber(tier.from / (million ? 1_000_000 : 1))}${million ? ' million' : ''})` : base;
}

/** Cost lines of a usage (a month's, for tiered prices). */
export function priceUsage(usage: Usage, storageGbMonths = 0): CostLine[] {
  const lambda = FUNCTIONS.filter((name) => usage.lambda[name].requests > 0).flatMap((name) => [
    line(`Lambda ${name}: requests`, usage.lambda[name].requests, PRICES.lambdaRequest),
    line(`Lambda ${name}: duration`, usage.lambda[name].gbSeconds, PRICES.lambdaArmGbSecond),
  ]);
  return [
    line('API Gateway WebSocket messages', usage.apiGatewayMessages, PRICES.apiGatewayMessage),
    line('API Gateway connection minutes', usage.apiGatewayConnectionMinutes, PRICES.apiGatewayConnectionMinute),
    line('HTTP API requests (publish)', usage.httpApiRequests, PRICES.httpApiRequest),
    ...lambda,
    line('SQS requests', usage.sqsRequests, PRICES.sqsRequest),
    line('DynamoDB read units', usage.dynamoReadUnits, PRICES.dynamoReadUnit),
    line('DynamoDB write units', usage.dynamoWriteUnits, PRICES.dynamoWriteUnit),
    ...(storageGbMonths > 0 ? [line('DynamoDB storage', storageGbMonths, PRICES.dynamoStorageGbMonth)] : []),
    line('Data transfer out', usage.dataTransferOutBytes / GB, PRICES.dataTransferOutGb),
  ].filter((item) => item.quantity > 0);
}

export const sumUsd = (lines: readonly CostLine[]): number => lines.reduce((sum, item) => sum + (item.usd ?? 0), 0);

export function monthlyCost(profile: Profile, setup: Setup): MonthlyCost {
  const publishes = profile.publishesPerSecond * SECONDS_PER_MONTH;
  const connectionMinutes = profile.connections * profile.minutesPerConnection;
  const connectionsOpened = connectionMinutes / profile.lifetimeMinutes;
  const lifetime = { minutes: profile.lifetimeMinutes, rooms: profile.roomsPerConnection, snapshot: profile.snapshot, dataBytes: profile.messageBytes };
  const usage = addUsage(addUsage(emptyUsage(), publishUsage(profile.subscribersPerRoom, profile.messageBytes, setup), publishes), connectionUsage(lifetime, setup), connectionsOpened);
  const lines = priceUsage(usage, storageGbMonths(profile, setup));
  const frame = frameBytes(sampleMessage(profile.messageBytes));
  const deliveries = publishes * profile.subscribersPerRoom;
  const floor = line('API Gateway messages of the deliveries', deliveries * Math.ceil(frame / MESSAGE_METER_BYTES), PRICES.apiGatewayMessage);
  const appsyncLines = [
    line('AppSync Events operations', usage.appsyncOperations, PRICES.appsyncEventsOperation),
    line('AppSync Events connection minutes', connectionMinutes, PRICES.appsyncEventsConnectionMinute),
    line('Data transfer out', usage.dataTransferOutBytes / GB, PRICES.dataTransferOutGb),
  ];
  return {
    profile,
    prices: { taken: PRICES_TAKEN, region: PRICES_REGION },
    usage,
    lines,
    totalUsd: sumUsd(lines),
    floor,
    appsyncEvents: { lines: appsyncLines, knownUsd: sumUsd(appsyncLines), complete: appsyncLines.every((item) => item.usd !== null) },
    warnings: warningsFor(profile),
  };
}

/** History kept for HistoryTtlSeconds (each message also in the byOrigin index), and the connections' rows. */
function storageGbMonths(profile: Profile, { facts }: Setup): number {
  const message = sampleMessage(profile.messageBytes);
  const history = profile.publishesPerSecond * facts.historyTtlSeconds * 2 * (messageItemBytes(message) + ITEM_OVERHEAD_BYTES);
  const connected = (profile.connections * profile.minutesPerConnection) / MINUTES_PER_MONTH;
  const rows = connected * (1 + profile.roomsPerConnection) * (subscriptionRowBytes(message.room, facts.shards) + ITEM_OVERHEAD_BYTES);
  return (history + rows) / GB;
}

function warningsFor(profile: Profile): string[] {
  const warnings: string[] = [];
  const posts = profile.publishesPerSecond * profile.subscribersPerRoom;
  const quota = AWS_LIMITS.apiGatewayRequestsPerSecond.value;
  if (posts > quota) {
    warnings.push(`${Math.round(posts)} posts per second exceed the account's default API Gateway quota of ${quota} requests per second (shared with clients' frames and publishes); ask for more first`);
  }
  if (profile.subscribersPerRoom > profile.connections * profile.roomsPerConnection) {
    warnings.push('a room has more subscribers than there are connections');
  }
  return warnings;
}

export interface FanoutOverhead {
  subscribers: number;
  lines: CostLine[];
  /** API Gateway messages of the posts made. */
  apiGatewayUsd: number;
  /** Everything else but data transfer: HTTP API, Lambda, SQS, DynamoDB. */
  overheadUsd: number;
  /** overheadUsd / apiGatewayUsd. */
  overheadRatio: number;
}

/**
 * The cost of one measured publish: requests and units as measured; Lambda durations from
 * the model (local durations are not AWS's), for the invocations measured.
 */
export function fanoutOverhead(measured: FanoutCost, setup: Setup): FanoutOverhead {
  const modelled = publishUsage(measured.subscribers, measured.messageBytes, setup);
  const frame = frameBytes(sampleMessage(measured.messageBytes));
  const { deliverInvocations } = measured.lambda;
  const usage = emptyUsage();
  usage.apiGatewayMessages = measured.posts * Math.ceil(frame / MESSAGE_METER_BYTES);
  usage.dataTransferOutBytes = measured.posts * frame;
  usage.httpApiRequests = measured.lambda.publishInvocations;
  usage.lambda.publish = modelled.lambda.publish;
  const deliverMs = deliverInvocations > 0 ? Math.ceil(deliverInvocationMs(measured.posts / deliverInvocations, setup)) : 0;
  usage.lambda.deliver = { requests: deliverInvocations, gbSeconds: (deliverInvocations * deliverMs * setup.facts.memoryMb.deliver) / 1000 / 1024 };
  usage.sqsRequests = Object.values(measured.sqs.billed).reduce((sum, count) => sum + count, 0);
  usage.dynamoReadUnits = measured.dynamo.readUnits;
  // What DynamoDB Local counted, and the index copy it does not count (models/usage.ts).
  usage.dynamoWriteUnits = measured.dynamo.writeUnits + indexWriteUnits(sampleMessage(measured.messageBytes), setup.inputs);
  const lines = priceUsage(usage);
  const apiGatewayUsd = sumUsd(lines.filter((item) => item.component === 'API Gateway WebSocket messages'));
  const overheadUsd = sumUsd(lines.filter((item) => !['API Gateway WebSocket messages', 'Data transfer out'].includes(item.component)));
  return { subscribers: measured.subscribers, lines, apiGatewayUsd, overheadUsd, overheadRatio: apiGatewayUsd > 0 ? overheadUsd / apiGatewayUsd : Number.POSITIVE_INFINITY };
}
