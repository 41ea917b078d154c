/** A room's panel: its name, whether it is joined, Leave/Join and Remove buttons, its messages (newest first). */
import type { RoomMessage } from '@roomcast/client/sdk';
import { element, hiddenText } from './dom.js';
import { messageItem } from './message-item.js';

/** Messages kept on the page per room. */
const KEEP = 200;

export interface RoomActions {
  toggle(): void;
  remove(): void;
}

let panels = 0;

export class RoomView {
  readonly panel: HTMLElement;
  /** The highest position shown (positions of one room sort as strings). */
  last: string | undefined;
  private readonly status: HTMLParagraphElement;
  private readonly toggleLabel: HTMLSpanElement;
  private readonly list: HTMLOListElement;
  private received = 0;
  private statusText = '';

  constructor(readonly room: string, actions: RoomActions) {
    panels += 1;
    const titleId = `room-${panels}-title`;
    this.status = element('p', { className: 'room-status' });
    this.toggleLabel = element('span', { text: 'Leave' });
    const toggle = element('button', { attributes: { type: 'button' } }, this.toggleLabel, hiddenText(` ${room}`));
    const remove = element('button', { className: 'secondary', attributes: { type: 'button' } }, 'Remove', hiddenText(` ${room}`));
    toggle.addEventListener('click', () => actions.toggle());
    remove.addEventListener('click', () => actions.remove());
    this.list = element('ol', {
      className: 'messages',
      attributes: { 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': `Messages of ${room}, newest first` },
    });
    this.panel = element(
      'section',
      { className: 'room', attributes: { 'aria-labelledby': titleId, 'data-room': room } },
      element('div', { className: 'room-head' }, element('h3', { text: room, attributes: { id: titleId } }), element('div', { className: 'buttons' }, toggle, remove)),
      this.status,
      this.list,
    );
  }

  add(message: RoomMessage): void {
    this.received += 1;
    if (this.last === undefined || message.pos > this.last) this.last = message.pos;
    this.list.prepend(messageItem(message, Date.now()));
    while (this.list.children.length > KEEP) this.list.lastElementChild?.remove();
    this.render();
  }

  /** `joined`: the room is wanted (Leave is offered), else Join again is. */
  show(joined: boolean, text: string): void {
    this.panel.dataset['joined'] = String(joined);
    this.toggleLabel.textContent = joined ? 'Leave' : 'Join again';
    this.statusText = text;
    this.render();
  }

  private render(): void {
    const count = this.received === 1 ? '1 message' : `${this.received} messages`;
    this.status.textContent = `${this.statusText} · ${count} received`;
  }
}
