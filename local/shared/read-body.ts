import type { IncomingMessage } from 'node:http';

export interface ReadBody {
  body: Buffer;
  /** The body went over `limit` bytes; `body` then holds only the bytes read before that. */
  tooLarge: boolean;
}

/**
 * Reads a request body, keeping at most `limit` bytes. The rest is still read and dropped,
 * so the client gets an answer (a 413) instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}
