/** The join form: a room name and how many recent messages to show first. */
import { byId } from './dom.js';
import type { Rooms } from './rooms.js';

export function joinForm(rooms: Rooms): void {
  const form = byId('join-form', HTMLFormElement);
  const room = byId('join-room', HTMLInputElement);
  const snapshot = byId('join-snapshot', HTMLInputElement);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = room.value.trim();
    if (!name) return;
    rooms.join(name, Math.max(0, Math.floor(snapshot.valueAsNumber || 0)));
    room.value = '';
  });
}
