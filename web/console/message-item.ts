/** One received message as a list item: its position, its latency (now - ts), its time and data. */
import type { RoomMessage } from '@roomcast/client/sdk';
import { element } from './dom.js';

export function messageItem(message: RoomMessage, now: number): HTMLLIElement {
  const latency = Math.max(0, Math.round(now - message.ts));
  const published = new Date(message.ts);
  return element(
    'li',
    { attributes: { 'data-pos': message.pos, 'data-id': message.id } },
    element('span', { className: 'pos', text: `pos ${message.pos}` }),
    ' ',
    element('span', { className: 'latency', text: `${latency} ms`, attributes: { title: 'received this long after it was published' } }),
    ' ',
    element('time', { text: published.toLocaleTimeString(), attributes: { datetime: published.toISOString() } }),
    element('code', { className: 'data', text: JSON.stringify(message.data) }),
  );
}
