/**
 * A proxy in front of the SQS emulator that answers batch sends in part, as AWS does under
 * load: SendMessageBatch with `Failed` entries. The entries held back never reach the
 * queue; every other request passes through unchanged (the emulator checks no signatures).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../local/shared/read-body.js';
import { forwardRequest, type ForwardedAnswer as Answer } from '../../bench/metering-proxy.js';

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

const BATCH_OPERATION = 'AmazonSQS.SendMessageBatch';

export async function startPartialBatchProxy(target: string): Promise<PartialBatchProxy> {
  let fault = { calls: 0, entries: 0 };
  let seen: BatchCall[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { body } = await readBody(req, Number.MAX_SAFE_INTEGER);
    if (req.headers['x-amz-target'] !== BATCH_OPERATION) return reply(res, await forwardRequest(target, req, body));
    const input = JSON.parse(body.toString('utf8')) as Record<string, any>;
    const entries = input.Entries as unknown[];
    const heldBack = fault.calls > 0 ? Math.min(entries.length, fault.entries) : 0;
    if (fault.calls > 0) fault.calls -= 1;
    seen.push({ entries: entries.length, heldBack });
    if (heldBack === 0) return reply(res, await forwardRequest(target, req, body));
    const keep = entries.length - heldBack;
    const sent = keep > 0 ? { ...input, Entries: entries.slice(0, keep) } : undefined;
    const answer = sent ? await forwardRequest(target, req, Buffer.from(JSON.stringify(sent))) : { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from('{}') };
    if (answer.status !== 200) return reply(res, answer);
    const output = JSON.parse(answer.body.toString('utf8')) as Record<string, any>;
    reply(res, { ...answer, body: Buffer.from(JSON.stringify(withHeldBack(output, entries.slice(keep) as Array<{ Id: string }>))) });
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

/** SendMessageBatch's answer with the entries held back among its failures. */
function withHeldBack(output: Record<string, any>, held: Array<{ Id: string }>): Record<string, any> {
  const failed = held.map(({ Id }) => ({ Id, SenderFault: false, Code: 'InternalError', Message: 'held back by the partial batch proxy' }));
  return { Successful: [], ...output, Failed: [...(output.Failed ?? []), ...failed] };
}

/** The answer with its length set again; a checksum of the original body no longer holds, so it goes. */
function reply(res: ServerResponse, answer: Answer): void {
  const { 'x-amz-crc32': _crc, 'content-length': _length, 'transfer-encoding': _encoding, ...headers } = answer.headers;
  res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
  res.end(answer.body);
}
