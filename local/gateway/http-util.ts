import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** Answers an upgrade request with a plain HTTP response instead of switching protocols. */
export function refuseUpgrade(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `x-amzn-RequestId: ${randomUUID()}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json' } : {}),
    'Content-Length': String(Buffer.byteLength(text)),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  res.end(text);
}

/** An API Gateway error answer: the status, `x-amzn-ErrorType` and `{"message": ...}`. */
export function sendAwsError(res: ServerResponse, status: number, errorType: string, message: string | null): void {
  sendJson(res, status, { message }, { 'x-amzn-ErrorType': errorType });
}
