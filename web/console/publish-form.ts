/**
 * The publish form. The browser cannot sign SigV4 requests, so it posts to the console
 * server's local-only `POST /_roomcast/publish`, which publishes with the local credentials.
 */
import type { ReportError } from './alerts.js';
import { byId, element } from './dom.js';

const PUBLISH_PATH = '/_roomcast/publish';

interface Published {
  room: string;
  id: string;
  pos: string;
}

type Answer = { ok: true; published: Published } | { ok: false; code: string; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function readAnswer(status: number, body: unknown): Answer {
  if (status === 202 && isRecord(body) && typeof body['pos'] === 'string' && typeof body['id'] === 'string' && typeof body['room'] === 'string') {
    return { ok: true, published: { room: body['room'], id: body['id'], pos: body['pos'] } };
  }
  const error = isRecord(body) ? body['error'] : undefined;
  if (isRecord(error) && typeof error['code'] === 'string') {
    return { ok: false, code: error['code'], message: typeof error['message'] === 'string' ? error['message'] : `HTTP ${status}` };
  }
  return { ok: false, code: `HTTP_${status}`, message: typeof error === 'string' ? error : 'unexpected answer from the console server' };
}

async function post(request: { room: string; data: unknown; id?: string }): Promise<Answer> {
  const response = await fetch(PUBLISH_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return readAnswer(response.status, body);
}

export interface PublishForm {
  /** The rooms the page shows, offered as suggestions; the newest fills an empty room field. */
  suggest(rooms: string[]): void;
}

export function publishForm(report: ReportError): PublishForm {
  const form = byId('publish-form', HTMLFormElement);
  const room = byId('publish-room', HTMLInputElement);
  const data = byId('publish-data', HTMLTextAreaElement);
  const id = byId('publish-id', HTMLInputElement);
  const button = byId('publish-button', HTMLButtonElement);
  const result = byId('publish-result', HTMLElement);
  const suggestions = byId('joined-rooms', HTMLDataListElement);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const target = room.value.trim();
    let value: unknown;
    try {
      value = JSON.parse(data.value);
    } catch (error) {
      report({ code: 'INVALID_JSON', message: `the data is not JSON: ${(error as Error).message}` });
      data.focus();
      return;
    }
    const request = { room: target, data: value, ...(id.value.trim() ? { id: id.value.trim() } : {}) };
    button.disabled = true;
    result.textContent = `Publishing to ${target}…`;
    post(request)
      .then((answer) => {
        if (answer.ok) {
          result.textContent = `Published to ${answer.published.room}: pos ${answer.published.pos}, id ${answer.published.id}`;
          return;
        }
        result.textContent = `Not published (${answer.code}).`;
        report({ code: answer.code, message: answer.message, room: target });
      })
      .catch((error: unknown) => {
        result.textContent = 'Not published.';
        report({ code: 'NETWORK', message: `cannot reach the console server: ${String(error)}`, room: target });
      })
      .finally(() => {
        button.disabled = false;
      });
  });

  return {
    suggest(rooms) {
      suggestions.replaceChildren(...rooms.map((name) => element('option', { attributes: { value: name } })));
      const newest = rooms[rooms.length - 1];
      if (!room.value && newest) room.value = newest;
    },
  };
}
