/** The connection form: WebSocket URL and token (pre-filled with the dev token), Connect and Disconnect. */
import type { ConsoleConnection } from './connection.js';
import { byId } from './dom.js';
import type { ConsoleInfo } from './info.js';

export interface ConnectForm {
  /** Fills the form from the cloud's info and connects with it. */
  start(info: ConsoleInfo): void;
}

export function connectForm(connection: ConsoleConnection): ConnectForm {
  const form = byId('connect-form', HTMLFormElement);
  const url = byId('ws-url', HTMLInputElement);
  const token = byId('token', HTMLTextAreaElement);
  const hint = byId('token-hint', HTMLElement);
  const connect = (): void => connection.open(url.value.trim(), token.value.trim());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    connect();
  });
  byId('disconnect', HTMLButtonElement).addEventListener('click', () => connection.close());
  return {
    start(info) {
      url.value = info.wsUrl;
      token.value = info.token;
      hint.textContent = info.token
        ? `The local dev token: subject "dev", every room, valid until ${new Date(info.tokenExpiresAt).toLocaleString()}.`
        : 'No dev token: this stack takes tokens from its own issuer (or none at all).';
      connect();
    },
  };
}
