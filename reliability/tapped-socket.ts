/**
 * `ws` for the client SDK's `WebSocket` option, with a tap that sees every text frame the
 * socket receives (before the SDK does: duplicates included) and how the socket closed.
 */
import WebSocket from 'ws';
import type { WebSocketConstructor } from '@roomcast/client/sdk/node';

export interface SocketTap {
  frame?(text: string): void;
  close?(code: number): void;
}

export function tappedWebSocket(tap: SocketTap): WebSocketConstructor {
  return class TappedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      // Registered before the SDK sets `onmessage`, so the tap sees each frame first.
      this.on('message', (data, isBinary) => {
        if (!isBinary) tap.frame?.(data.toString());
      });
      this.on('close', (code) => tap.close?.(code));
    }
  };
}
