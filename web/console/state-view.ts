/** The connection's state (connecting, open, reconnecting, closed) and its reconnect counter. */
import type { ClientState } from '@roomcast/client/sdk';
import { byId } from './dom.js';

export type ShowState = (state: ClientState, reconnects: number) => void;

export function stateView(): ShowState {
  const state = byId('state', HTMLElement);
  const reconnects = byId('reconnects', HTMLElement);
  return (current, count) => {
    state.textContent = current;
    state.dataset['state'] = current;
    reconnects.textContent = String(count);
  };
}
