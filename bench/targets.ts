/**
 * What the benchmark measures: a WebSocket URL with its token and a publisher (the
 * pipeline: roomcast, local or deployed; or the raw broadcast baseline), and what can be
 * known about its processes (memory) and its history reads.
 */
import { randomBytes } from 'node:crypto';
import { createPublisher, type Credentials, type Publisher } from '@roomcast/client/publisher';
import type { CloudInfo } from '@roomcast/local/options';
import { startDynamoDbLocal, type RunningService } from '@roomcast/local';
import { startCloudProcess } from './cloud-process.js';
import { CONFLATED_ROOM_PATTERN } from './conflation.js';
import { pidProbe, type ProcessProbe } from './process-probes.js';
import { startDynamoMeter, type DynamoMeter } from './meter-process.js';
import { startRawBroadcast } from './raw-broadcast.js';

export interface BenchTarget {
  kind: 'pipeline' | 'raw';
  wsUrl: string;
  /** Sent as `?token=`; none: AuthMode=none (or the raw server). */
  token?: string;
  publisher: Publisher;
  probes: ProcessProbe[];
  /** Query calls on the messages table since the last reset; absent where they cannot be counted. */
  historyReads?: { reset(): Promise<void>; count(): Promise<number> };
  /** A local cloud's metric counts since it started (its control endpoint's `/metrics`). */
  counts?(): Promise<Record<string, number>>;
  /** Delays every PostToConnection this long (a local cloud's post-delay fault); 0 ends it. */
  postDelay?(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Where pipeline targets come from: one per scenario (a fresh local cloud, or the same deployment). */
export interface TargetSource {
  /** For the report: `local cloud started by the benchmark`, a URL... */
  description: string;
  open(options: { metered: boolean }): Promise<BenchTarget>;
  close(): Promise<void>;
}

/** A deployed stage, or a running local cloud (with its info: pids, control endpoint). */
export interface ExternalTarget {
  wsUrl: string;
  publishUrl: string;
  region: string;
  credentials?: Credentials;
  token?: string;
  local?: CloudInfo;
}

const QUIESCE_MS = 60_000;

export function externalSource(target: ExternalTarget): TargetSource {
  const { local } = target;
  const probes = local ? [pidProbe('cloud', local.pids.node), ...(local.pids.dynamodb ? [pidProbe('dynamodb', local.pids.dynamodb)] : [])] : [];
  const publisher = createPublisher({ endpoint: target.publishUrl, region: target.region, ...(target.credentials ? { credentials: target.credentials } : {}) });
  return {
    description: local ? `the local cloud at ${target.wsUrl}` : target.wsUrl,
    open: async () => ({
      kind: 'pipeline',
      wsUrl: target.wsUrl,
      ...(target.token ? { token: target.token } : {}),
      publisher,
      probes,
      ...(local ? { counts: () => countsOf(local.controlUrl), postDelay: (ms: number) => postDelayOf(local.controlUrl, ms) } : {}),
      // The sockets of one scenario must be gone before the next starts: $disconnect runs after them.
      close: () => (local ? disconnected(local.controlUrl) : sleep(2000)),
    }),
    close: async () => undefined,
  };
}

export interface OwnCloudOptions {
  parameterOverrides?: Record<string, string>;
  /** A CPU profile of each cloud's main thread goes here (`node --cpu-prof`). */
  cpuProfileDir?: string;
  /** Running DynamoDB Local and SQS emulator to use; default: a DynamoDB Local started here, an emulator in each cloud. */
  services?: { dynamodb: string; sqs: string };
}

/** The overrides with the conflation phase's room pattern added to ConflateRooms (after any given). */
export function withConflatedRooms(overrides: Record<string, string> = {}): Record<string, string> {
  const given = overrides.ConflateRooms?.trim();
  return { ...overrides, ConflateRooms: given ? `${given},${CONFLATED_ROOM_PATTERN}` : CONFLATED_ROOM_PATTERN };
}

/**
 * A fresh local cloud per scenario, in its own process, on a fresh DynamoDB Local (as
 * `npm start` starts it): no scenario inherits what an earlier one left in the JVM. Its
 * ConflateRooms matches the conflation phase's room.
 */
export function ownCloudSource({ parameterOverrides: given, services, cpuProfileDir }: OwnCloudOptions = {}): TargetSource {
  const parameterOverrides = withConflatedRooms(given);
  return {
    description:
      "a fresh local cloud per measurement, in its own process (npm start's components, its own DynamoDB Local), with the template's defaults and " +
      Object.entries(parameterOverrides).map(([key, value]) => `${key}=${value}`).join(' '),
    async open({ metered }) {
      const jvm = services ? undefined : await startDynamoDbLocal({ quickStart: true });
      const dynamo: Pick<RunningService, 'endpoint' | 'pid'> = jvm ?? { endpoint: services!.dynamodb };
      let meter: DynamoMeter | undefined;
      try {
        meter = metered ? await startDynamoMeter(dynamo.endpoint) : undefined;
        const cloud = await startCloudProcess({
          dynamodb: meter?.endpoint ?? dynamo.endpoint,
          ...(services ? { sqs: services.sqs } : {}),
          stackName: `bench-${randomBytes(3).toString('hex')}`,
          parameterOverrides,
          ...(cpuProfileDir ? { cpuProfileDir } : {}),
        });
        const { info } = cloud;
        const table = info.outputs.MessagesTableName ?? '';
        return {
          kind: 'pipeline',
          wsUrl: info.wsUrl,
          token: info.token,
          publisher: createPublisher({ endpoint: info.publishUrl, region: info.region, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey } }),
          probes: [
            { name: 'cloud', sample: () => cloud.sample() },
            ...(dynamo.pid ? [pidProbe('dynamodb', dynamo.pid)] : []),
            ...(meter ? [pidProbe('dynamodb meter', meter.pid)] : []),
          ],
          counts: () => countsOf(info.controlUrl),
          postDelay: (ms) => postDelayOf(info.controlUrl, ms),
          ...(meter ? { historyReads: historyReadsOf(meter, table) } : {}),
          close: async () => {
            await cloud.stop();
            await meter?.stop();
            await jvm?.stop();
          },
        };
      } catch (error) {
        await meter?.stop();
        await jvm?.stop();
        throw error;
      }
    },
    close: async () => undefined,
  };
}

/** The raw `ws` broadcast server, fresh, with a publisher (its signatures go unchecked). */
export async function rawTarget(): Promise<BenchTarget> {
  const raw = await startRawBroadcast();
  return {
    kind: 'raw',
    wsUrl: raw.wsUrl,
    publisher: createPublisher({ endpoint: raw.publishUrl, region: 'us-east-1', credentials: { accessKeyId: 'raw', secretAccessKey: 'raw' } }),
    probes: [pidProbe('raw server', raw.pid)],
    close: () => raw.stop(),
  };
}

/** Query calls on the messages table, as the meter counted them. */
function historyReadsOf(meter: DynamoMeter, table: string): NonNullable<BenchTarget['historyReads']> {
  return { reset: () => meter.reset(), count: async () => (await meter.meter()).tables[table]?.Query ?? 0 };
}

async function countsOf(controlUrl: string): Promise<Record<string, number>> {
  const response = await fetch(`${controlUrl}/metrics`);
  if (!response.ok) throw new Error(`${controlUrl}/metrics answered ${response.status}`);
  return ((await response.json()) as { counts: Record<string, number> }).counts;
}

/** Sets the post-delay fault of a local cloud (`POST /_roomcast/faults`); 0 ends it, other faults stay. */
async function postDelayOf(controlUrl: string, ms: number): Promise<void> {
  const response = await fetch(`${controlUrl}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ postDelayMs: ms }) });
  if (!response.ok) throw new Error(`POST ${controlUrl}/faults answered ${response.status}: ${await response.text()}`);
}

/** Waits until a local cloud has run `$disconnect` for every connection it had. */
async function disconnected(controlUrl: string): Promise<void> {
  const deadline = Date.now() + QUIESCE_MS;
  while (Date.now() < deadline) {
    const counts = await countsOf(controlUrl);
    if ((counts.Disconnected ?? 0) >= (counts.Connected ?? 0)) return;
    await sleep(250);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
