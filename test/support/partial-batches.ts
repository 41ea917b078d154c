/**
 * A proxy in front of DynamoDB Local or the SQS emulator that answers batch writes in part,
 * as AWS does under load: BatchWriteItem with `UnprocessedItems`, SendMessageBatch with
 * `Failed` entries. The entries held back never reach the service; every other request
 * passes through unchanged (neither service checks request signatures).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../local/shared/read-body.js';
import { forwardRequest, type ForwardedAnswer as Answer } from '../../bench/metering-proxy.js';

export type BatchService = 'dynamodb' | 'sqs';

export interface BatchCall {
  /** Entries the caller sent. */
  entries: number;
  /** Of those, held back: answered as unprocessed or failed. */
  heldBack: number;
}

export interface PartialBatchProxy {
  /** `http://127.0.0.1:PORT`: the service's endpoint for clients. */
  endpoint: string;
  /** The next `calls` batch calls (Infinity: all) each hold back their last `entries` entries (Infinity: all). */
  holdBack(calls: number, entries: number): void;
  /** Stops holding back and forgets the calls seen. */
  clear(): void;
  /** The batch calls seen since the last clear(), in arrival order. */
  calls(): BatchCall[];
  close(): Promise<void>;
}

const BATCH_OPERATION: Record<BatchService, string> = { dynamodb: 'DynamoDB_20120810.BatchWriteItem', sqs: 'AmazonSQS.SendMessageBatch' };


export async function startPartialBatchProxy(service: BatchService, target: string): Promise<PartialBatchProxy> {
  let fault = { calls: 0, entries: 0 };
  let seen: BatchCall[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { body } = await readBody(req, Number.MAX_SAFE_INTEGER);
    if (req.headers['x-amz-target'] !== BATCH_OPERATION[service]) return reply(res, await forwardRequest(target, req, body));
    const input = JSON.parse(body.toString('utf8')) as Record<string, any>;
    const entries = service === 'sqs' ? (input.Entries as unknown[]) : Object.values(input.RequestItems as Record<string, unknown[]>).flat();
    const heldBack = fault.calls > 0 ? Math.min(entries.length, fault.entries) : 0;
    if (fault.calls > 0) fault.calls -= 1;
    seen.push({ entries: entries.length, heldBack });
    if (heldBack === 0) return reply(res, await forwardRequest(target, req, body));
    const { sent, held } = split(service, input, entries.length - heldBack);
    const answer = sent ? await forwardRequest(target, req, Buffer.from(JSON.stringify(sent))) : { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from('{}') };
    if (answer.status !== 200) return reply(res, answer);
    const output = JSON.parse(answer.body.toString('utf8')) as Record<string, any>;
    reply(res, { ...answer, body: Buffer.from(JSON.stringify(withHeldBack(service, output, held))) });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    holdBack: (calls, entries) => void (fault = { calls, entries }),
    clear() {
      fault = { calls: 0, entries: 0 };
      seen = [];
    },
    calls: () => [...seen],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The request with its first `keep` entries (undefined when none), and the entries held back, in the service's shape. */
function split(service: BatchService, input: Record<string, any>, keep: number): { sent: Record<string, any> | undefined; held: any } {
  if (service === 'sqs') {
    const entries = input.Entries as unknown[];
    return { sent: keep > 0 ? { ...input, Entries: entries.slice(0, keep) } : undefined, held: entries.slice(keep) };
  }
  const kept: Record<string, unknown[]> = {};
  const held: Record<string, unknown[]> = {};
  let index = 0;
  for (const [table, requests] of Object.entries(input.RequestItems as Record<string, unknown[]>)) {
    for (const request of requests) ((index++ < keep ? kept : held)[table] ??= []).push(request);
  }
  return { sent: keep > 0 ? { ...input, RequestItems: kept } : undefined, held };
}

function withHeldBack(service: BatchService, output: Record<string, any>, held: any): Record<string, any> {
  if (service === 'sqs') {
    const failed = (held as Array<{ Id: string }>).map(({ Id }) => ({ Id, SenderFault: false, Code: 'InternalError', Message: 'held back by the partial batch proxy' }));
    return { Successful: [], ...output, Failed: [...(output.Failed ?? []), ...failed] };
  }
  const unprocessed: Record<string, unknown[]> = { ...(output.UnprocessedItems ?? {}) };
  for (const [table, requests] of Object.entries(held as Record<string, unknown[]>)) unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
  return { ...output, UnprocessedItems: unprocessed };
}


/** The answer with its length set again; a checksum of the original body no longer holds, so it goes. */
function reply(res: ServerResponse, answer: Answer): void {
  const { 'x-amz-crc32': _crc, 'content-length': _length, 'transfer-encoding': _encoding, ...headers } = answer.headers;
  res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
  res.end(answer.body);
}
