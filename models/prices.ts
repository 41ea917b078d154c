/**
 * AWS on-demand prices in us-east-1, as published on the pages named below, read on
 * PRICES_TAKEN. Free tiers, Savings Plans and the lower tiers of very large volumes are
 * left out (each line says where a lower tier starts). A price that could not be read from
 * a source has `usd: null` and says so: it is shown as "price not found", never guessed.
 *
 * Update: read each page again, change the figures and PRICES_TAKEN together.
 */

export const PRICES_TAKEN = '2026-11-22';
export const PRICES_REGION = 'us-east-1';

export interface Price {
  /** Dollars per `per` units; null when the price could not be found. */
  usd: number | null;
  per: number;
  /** What is counted, short: `messages`, `GB-s`, ... */
  measure: string;
  unit: string;
  source: string;
  note?: string;
  /** Lower prices for usage above `from` units a month (from the same page). */
  above?: ReadonlyArray<{ from: number; usd: number }>;
}

const MILLION = 1_000_000;

export const PRICES = {
  apiGatewayMessage: {
    usd: 1.0,
    per: MILLION,
    measure: 'messages',
    unit: 'WebSocket messages (sent or received, metered in 32 KB increments)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    note: 'first 1 billion messages a month; $0.80 per million above',
    above: [{ from: 1_000_000_000, usd: 0.8 }],
  },
  apiGatewayConnectionMinute: {
    usd: 0.25,
    per: MILLION,
    measure: 'minutes',
    unit: 'WebSocket connection minutes',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
  httpApiRequest: {
    usd: 1.0,
    per: MILLION,
    measure: 'requests',
    unit: 'HTTP API requests (the publish API; metered in 512 KB increments)',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    note: 'first 300 million requests a month; $0.90 per million above',
    above: [{ from: 300_000_000, usd: 0.9 }],
  },
  lambdaRequest: {
    usd: 0.2,
    per: MILLION,
    measure: 'requests',
    unit: 'Lambda requests',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 1,
    measure: 'GB-s',
    unit: 'Lambda GB-seconds on arm64 (billed per 1 ms)',
    source: 'https://aws.amazon.com/lambda/pricing/',
    note: 'first 7.5 billion GB-seconds a month; lower above',
  },
  sqsRequest: {
    usd: 0.4,
    per: MILLION,
    measure: 'requests',
    unit: 'SQS standard queue requests (each 64 KB chunk of a payload is one request)',
    source: 'https://aws.amazon.com/sqs/pricing/',
    note: 'first 100 billion requests a month',
  },
  dynamoWriteUnit: {
    usd: 0.625,
    per: MILLION,
    measure: 'write units',
    unit: 'DynamoDB on-demand write request units (1 KB each; Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: 'the on-demand price since the November 2024 reduction',
  },
  dynamoReadUnit: {
    usd: 0.125,
    per: MILLION,
    measure: 'read units',
    unit: 'DynamoDB on-demand read request units (4 KB strongly consistent each)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: 'the on-demand price since the November 2024 reduction',
  },
  dynamoStorageGbMonth: {
    usd: 0.25,
    per: 1,
    measure: 'GB-month',
    unit: 'DynamoDB storage, GB-month (Standard table class)',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    note: 'the first 25 GB a month are free',
  },
  dataTransferOutGb: {
    usd: 0.09,
    per: 1,
    measure: 'GB',
    unit: 'data transfer out to the internet, GB',
    source: 'https://aws.amazon.com/ec2/pricing/on-demand/ (Data Transfer)',
    note: 'first 10 TB a month, after the first 100 GB free; lower above',
  },
  appsyncEventsOperation: {
    usd: 1.0,
    per: MILLION,
    measure: 'operations',
    unit: 'AppSync Events API operations (connect, subscribe, publish, each message delivered)',
    source: 'https://aws.amazon.com/appsync/pricing/ and the AWS Price List (usage type EventAPI-Operation)',
    note: 'read from the Price List row of eu-west-1 (effective 2024-09-01); the us-east-1 row and the size increment of an operation were not found, so messages count one operation each whatever their size',
  },
  appsyncEventsConnectionMinute: {
    usd: null,
    per: MILLION,
    measure: 'minutes',
    unit: 'AppSync Events connection minutes',
    source: 'https://aws.amazon.com/appsync/pricing/',
    note: 'price not found: the page read shows $0.08 per million connection-minutes for AppSync GraphQL real-time, but not the Events rate (Price List usage type EventAPI-ConnectionDuration)',
  },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;

/** Dollars for `quantity` units (a month's, where a price has tiers) at `price`; null when the price is not known. */
export function priceOf(price: Price, quantity: number): number | null {
  if (price.usd === null) return null;
  const tiers = [{ from: 0, usd: price.usd }, ...(price.above ?? [])];
  return tiers.reduce((sum, tier, index) => {
    const upTo = tiers[index + 1]?.from ?? Number.POSITIVE_INFINITY;
    const units = Math.max(0, Math.min(quantity, upTo) - tier.from);
    return sum + (units / price.per) * tier.usd;
  }, 0);
}
