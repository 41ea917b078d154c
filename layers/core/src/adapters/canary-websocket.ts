import type { CanarySocket, OpenSocket } from '../app/canary/ports.js';

/**
 * The canary's socket on the runtime's global WebSocket (Node.js 22 and later, so the
 * nodejs22.x Lambda runtime). Error messages never include the URL: it carries the token.
 */
export const openWebSocket: OpenSocket = (url, listener) => {
  if (typeof globalThis.WebSocket !== 'function') {
    return Promise.reject(new Error('this runtime has no global WebSocket (Node.js 22 or later is needed)'));
  }
  return new Promise<CanarySocket>((resolve, reject) => {
    const ws = new globalThis.WebSocket(url);
    let state: 'opening' | 'open' | 'closing' = 'opening';
    ws.addEventListener('open', () => {
      state = 'open';
      resolve({
        send: (text) => ws.send(text),
        close: () => {
          state = 'closing';
          ws.close(1000, 'canary done');
        },
      });
    });
    ws.addEventListener('message', (event: MessageEvent) => {
      if (typeof event.data === 'string') listener.message(event.data);
    });
    ws.addEventListener('error', () => {
      if (state === 'opening') reject(new Error('the WebSocket handshake failed'));
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      if (state === 'opening') reject(new Error(`the WebSocket handshake failed (close code ${event.code})`));
      else if (state === 'open') listener.closed(`close code ${event.code}${event.reason ? ` (${event.reason})` : ''}`);
    });
  });
};
