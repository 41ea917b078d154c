/** How the console server answers: JSON bodies and other bytes, never cached (it is a dev tool). */
import type { ServerResponse } from 'node:http';

export function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', Buffer.from(JSON.stringify(body)));
}

/** `head`: answer a HEAD request (the headers, no body). */
export function send(res: ServerResponse, status: number, type: string, body: Buffer, head = false): void {
  res.writeHead(status, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}
