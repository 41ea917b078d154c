/**
 * A meter in front of DynamoDB Local or the SQS emulator: an HTTP proxy that counts every
 * request the service receives, by operation, and what AWS would bill for it.
 *
 * - DynamoDB: each data request gets `ReturnConsumedCapacity: "TOTAL"` added on the way
 *   (DynamoDB Local does not check request signatures), and the `ConsumedCapacity` of the
 *   answer is summed into read and write units.
 * - SQS: requests are counted with their billed size, one request per started 64 KB of
 *   payload (the message bodies sent, or received), as SQS bills them.
 *
 * Counting at the service sees every call of the unmodified handlers, retries included.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '@roomcast/local';

export type MeteredService = 'dynamodb' | 'sqs';

export interface Meter {
  /** Requests by operation (`Query`, `SendMessageBatch`, ...). */
  requests: Record<string, number>;
  /** DynamoDB: requests by table, then operation (requests naming no single table are under `""`). */
  tables: Record<string, Record<string, number>>;
  /** SQS: billed requests (64 KB chunks) by operation; ReceiveMessage answers with no message apart. */
  billedRequests: Record<string, number>;
  emptyReceives: number;
  /** DynamoDB: consumed capacity units. */
  readUnits: number;
  writeUnits: number;
}

export interface MeteringProxy {
  /** `http://127.0.0.1:PORT`: give it to clients as the service's endpoint. */
  endpoint: string;
  meter(): Meter;
  /** Starts a new measurement window. */
  reset(): void;
  close(): Promise<void>;
}

const SQS_CHUNK_BYTES = 64 * 1024;
/** DynamoDB operations that accept ReturnConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems']);

export async function startMeteringProxy(service: MeteredService, target: string): Promise<MeteringProxy> {
  let meter = emptyMeter();
  const server = createServer((req, res) => {
    forward(service, target, req, res, meter).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    meter: () => structuredClone(meter),
    reset: () => void (meter = emptyMeter()),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function emptyMeter(): Meter {
  return { requests: {}, tables: {}, billedRequests: {}, emptyReceives: 0, readUnits: 0, writeUnits: 0 };
}

async function forward(service: MeteredService, target: string, req: IncomingMessage, res: ServerResponse, meter: Meter): Promise<void> {
  const { body: received } = await readBody(req, Number.MAX_SAFE_INTEGER);
  const operation = operationOf(req, received);
  const body = service === 'dynamodb' && CAPACITY_OPERATIONS.has(operation) ? withCapacity(received) : received;
  const answer = await forwardRequest(target, req, body);
  count(service, operation, body, answer.body, meter);
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

export interface ForwardedAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** Send a request on to `target` with `body` (read already), and read its whole answer. */
export function forwardRequest(target: string, req: IncomingMessage, body: Buffer): Promise<ForwardedAnswer> {
  const url = new URL(req.url ?? '/', target);
  const headers = { ...req.headers, host: url.host, 'content-length': String(body.length) };
  return new Promise((resolve, reject) => {
    const out = httpRequest(url, { method: req.method, headers }, (upstream) => {
      const chunks: Buffer[] = [];
      upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstream.on('end', () => resolve({ status: upstream.statusCode ?? 502, headers: upstream.headers, body: Buffer.concat(chunks) }));
      upstream.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}

/** `DynamoDB_20120810.Query` / `AmazonSQS.SendMessageBatch` (JSON protocols), or a query-protocol `Action=`. */
function operationOf(req: IncomingMessage, body: Buffer): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.indexOf('.') + 1);
  const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? new URL(req.url ?? '/', 'http://x').searchParams.get('Action');
  return action ?? 'unknown';
}

function withCapacity(body: Buffer): Buffer {
  const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
}

function count(service: MeteredService, operation: string, sent: Buffer, answer: Buffer, meter: Meter): void {
  meter.requests[operation] = (meter.requests[operation] ?? 0) + 1;
  const json = parseJson(answer);
  if (service === 'dynamodb') {
    const table = parseJson(sent)?.TableName;
    const byTable = (meter.tables[typeof table === 'string' ? table : ''] ??= {});
    byTable[operation] = (byTable[operation] ?? 0) + 1;
    const consumed = json?.ConsumedCapacity;
    for (const item of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
      const { ReadCapacityUnits, WriteCapacityUnits, CapacityUnits } = item as Record<string, number | undefined>;
      const read = ReadCapacityUnits ?? 0;
      const write = WriteCapacityUnits ?? 0;
      // Some answers carry only the total; it is reads for reading operations, writes otherwise.
      const rest = (CapacityUnits ?? 0) - read - write;
      meter.readUnits += read + (rest > 0 && isRead(operation) ? rest : 0);
      meter.writeUnits += write + (rest > 0 && !isRead(operation) ? rest : 0);
    }
    return;
  }
  const payload = sqsPayloadBytes(operation, parseJson(sent), json);
  if (operation === 'ReceiveMessage' && payload === 0) {
    meter.emptyReceives += 1;
    return;
  }
  meter.billedRequests[operation] = (meter.billedRequests[operation] ?? 0) + Math.max(1, Math.ceil(payload / SQS_CHUNK_BYTES));
}

function isRead(operation: string): boolean {
  return ['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems'].includes(operation);
}

/** The message bodies a request carries (send) or an answer returns (receive). */
function sqsPayloadBytes(operation: string, sent: Record<string, any> | undefined, answer: Record<string, any> | undefined): number {
  const bytes = (items: Array<{ MessageBody?: string; Body?: string }> | undefined): number =>
    (items ?? []).reduce((sum, item) => sum + Buffer.byteLength(item.MessageBody ?? item.Body ?? ''), 0);
  if (operation === 'SendMessage') return Buffer.byteLength(sent?.MessageBody ?? '');
  if (operation === 'SendMessageBatch') return bytes(sent?.Entries);
  if (operation === 'ReceiveMessage') return bytes(answer?.Messages);
  return 1;
}

function parseJson(buffer: Buffer): Record<string, any> | undefined {
  try {
    return JSON.parse(buffer.toString('utf8')) as Record<string, any>;
  } catch {
    return undefined;
  }
}
