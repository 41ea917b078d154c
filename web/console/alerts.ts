/** The page's errors: a `role="alert"` region, newest first, each with its protocol code. */
import { byId, element } from './dom.js';

export interface ShownError {
  /** The protocol's code (ROOM_FORBIDDEN, ...) or the client's (AUTH_FAILED, ...). */
  code: string;
  message: string;
  room?: string | undefined;
}

const KEEP = 5;

export type ReportError = (error: ShownError) => void;

export function errorRegion(): ReportError {
  const list = byId('errors', HTMLUListElement);
  const clear = byId('clear-errors', HTMLButtonElement);
  clear.addEventListener('click', () => {
    list.replaceChildren();
    clear.hidden = true;
  });
  return ({ code, message, room }) => {
    const about = room ? ` · room "${room}"` : '';
    list.prepend(element('li', {}, element('strong', { className: 'code', text: code }), ` ${message}${about}`));
    while (list.children.length > KEEP) list.lastElementChild?.remove();
    clear.hidden = false;
  };
}
