import { RoomcastClientError } from './errors.js';
import type { Occupancy } from './types.js';

const CLOSED = new RoomcastClientError('CLOSED', 'the client was closed', false);

interface Question {
  answer: Promise<Occupancy>;
  settle(occupancy: Occupancy | RoomcastClientError): void;
  /** Sent on the current socket and not answered yet. */
  asked?: boolean;
}

/**
 * The app's `occupancy(room)` questions, across sockets: a room is asked once however many
 * wait for it, answered by the next `occupancy` frame for it, and asked again on the next
 * socket when the one it went out on is lost (a socket whose server does not answer within
 * the request timeout is replaced, as for subscribes).
 */
export class OccupancyAsks {
  private readonly questions = new Map<string, Question>();
  private closed = false;

  ask(room: string): Promise<Occupancy> {
    if (this.closed) return Promise.reject(CLOSED.about(room));
    const known = this.questions.get(room);
    if (known) return known.answer;
    let settle!: Question['settle'];
    const answer = new Promise<Occupancy>((resolve, reject) => {
      settle = (value) => {
        this.questions.delete(room);
        if (value instanceof RoomcastClientError) reject(value);
        else resolve(value);
      };
    });
    this.questions.set(room, { answer, settle });
    return answer;
  }

  /** Rooms to ask now, at most `max`: asked until answered, refused or asked again. */
  take(max: number): string[] {
    const rooms = [...this.questions].filter(([, question]) => !question.asked).slice(0, max);
    for (const [, question] of rooms) question.asked = true;
    return rooms.map(([room]) => room);
  }

  answer(occupancy: Occupancy): void {
    this.questions.get(occupancy.room)?.settle(occupancy);
  }

  refuse(rooms: readonly string[], error: RoomcastClientError): void {
    for (const room of rooms) this.questions.get(room)?.settle(error.about(room));
  }

  /**
   * The rooms go out again with the next frame (their socket was lost, or the server asked
   * to retry). Only the occupancy question in flight has rooms asked: any other rooms are ignored.
   */
  again(rooms: readonly string[]): void {
    for (const room of rooms) delete this.questions.get(room)?.asked;
  }

  /** The client closed: every question fails, and every later one. */
  close(): void {
    this.closed = true;
    this.refuse([...this.questions.keys()], CLOSED);
  }
}
