/**
 * A stand-in for the publish and history functions behind the real local HTTP API
 * (SigV4-verified, AWS_IAM routes as in template.yaml): stores by (room, id), answers
 * 202 with a dense pos per room, and plays scripted faults on the next calls.
 */
import { startHttpApi, type HttpApiEventV2, type HttpRoute } from '../../local/http-api/index.js';

export const CREDENTIALS = { accessKeyId: 'AKIAPUBLISHERTEST001', secretAccessKey: 'publisher/test+secret000000000000000000' };
export const REGION = 'eu-west-1';

export const ROUTES: HttpRoute[] = [
  { method: 'POST', path: '/rooms/{room}/messages', target: 'publish', auth: 'AWS_IAM' },
  { method: 'PUT', path: '/rooms/{room}/messages', target: 'publish', auth: 'AWS_IAM' },
  { method: 'POST', path: '/messages', target: 'publish', auth: 'AWS_IAM' },
  { method: 'GET', path: '/rooms/{room}/messages', target: 'history', auth: 'AWS_IAM' },
];

/** What the next call does instead of (or before) answering normally. */
export type Fault =
  | { fail: { status: number; code: string; retryable: boolean } }
  | { slowMs: number } // stores, then answers only after this long
  | { run: () => void }; // a side effect, then the normal answer

export interface Seen {
  target: string;
  routeKey: string;
  room: string | undefined;
  /** The idempotency ids the body carried (one for a single publish, several for a batch). */
  ids: Array<string | undefined>;
  event: HttpApiEventV2;
}

interface Stored {
  id: string;
  pos: string;
  ts: number;
  data: unknown;
}

export interface FakeApi {
  url: string;
  seen: Seen[];
  faults: Fault[];
  rooms: Map<string, Stored[]>;
  close(): Promise<void>;
}

const ROOM = /^[A-Za-z0-9][A-Za-z0-9_.:=@-]{0,127}$/;
const json = (statusCode: number, body: unknown) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const refuse = (status: number, code: string, message: string, details?: Record<string, unknown>, retryable = false) =>
  json(status, { error: { code, message, retryable, ...(details ? { details } : {}) } });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Item = { room: string; id: string; data: unknown };
type Refusal = { code: string; message: string; details: Record<string, unknown> | undefined };

export async function startFakeApi(options: { stage?: string } = {}): Promise<FakeApi> {
  const seen: Seen[] = [];
  const faults: Fault[] = [];
  const rooms = new Map<string, Stored[]>();
  const byKey = new Map<string, { room: string; id: string; pos: string }>();
  let serverIds = 0;

  function check(value: unknown, room: string | undefined, index?: number): Item | Refusal {
    const details = index === undefined ? undefined : { index };
    if (!isRecord(value) || !('data' in value)) return { code: 'INVALID_MESSAGE', message: 'data is missing', details };
    const name = room ?? value['room'];
    if (typeof name !== 'string' || !ROOM.test(name) || name.includes('..')) return { code: 'INVALID_ROOM', message: 'bad room', details };
    const id = value['id'] ?? `server-${++serverIds}`;
    if (typeof id !== 'string') return { code: 'INVALID_MESSAGE', message: 'id must be a string', details };
    return { room: name, id, data: value['data'] };
  }

  function store(item: Item): { room: string; id: string; pos: string } {
    const key = `${item.room}\u0000${item.id}`;
    const known = byKey.get(key);
    if (known) return known;
    const list = rooms.get(item.room) ?? [];
    rooms.set(item.room, list);
    const result = { room: item.room, id: item.id, pos: String(list.length + 1).padStart(16, '0') };
    list.push({ id: item.id, pos: result.pos, ts: Date.now(), data: item.data });
    byKey.set(key, result);
    return result;
  }

  function history(event: HttpApiEventV2) {
    const room = event.pathParameters?.['room'] ?? '';
    const { since, limit: rawLimit } = event.queryStringParameters ?? {};
    const limit = rawLimit === undefined ? 20 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 20) return refuse(400, 'INVALID_MESSAGE', 'limit must be an integer from 1 to 20');
    const all = rooms.get(room) ?? [];
    if (since === undefined) return json(200, { room, messages: all.slice(-limit) });
    const page = all.filter((m) => m.pos > since).slice(0, limit);
    const last = page[page.length - 1];
    return json(200, { room, messages: page, ...(last && page.length === limit ? { next: last.pos } : {}) });
  }

  function publish(event: HttpApiEventV2, body: unknown) {
    const room = event.pathParameters?.['room'];
    const batch = event.routeKey === 'POST /messages';
    const items = batch ? (isRecord(body) && Array.isArray(body['messages']) ? body['messages'] : undefined) : [body];
    if (items === undefined || items.length === 0) return refuse(400, 'INVALID_MESSAGE', 'messages must be a non-empty array');
    if (items.length > 25) return refuse(400, 'BATCH_TOO_LARGE', 'at most 25 messages');
    const checked = items.map((item, i) => check(item, batch ? undefined : room, batch ? i : undefined));
    const bad = checked.find((c): c is Refusal => 'code' in c);
    if (bad !== undefined) return refuse(400, bad.code, bad.message, bad.details);
    const results = checked.filter((c): c is Item => !('code' in c)).map(store);
    return json(202, batch ? { messages: results } : results[0]);
  }

  const started = await startHttpApi({
    apiId: 'pub1234567',
    region: REGION,
    routes: ROUTES,
    credentials: CREDENTIALS,
    ...(options.stage === undefined ? {} : { stage: options.stage }),
    async invoke(target, raw) {
      const event = raw as HttpApiEventV2;
      let body: unknown;
      try {
        body = event.body === undefined ? undefined : (JSON.parse(event.body) as unknown);
      } catch {
        return refuse(400, 'INVALID_JSON', 'not JSON');
      }
      const list = isRecord(body) && Array.isArray(body['messages']) ? body['messages'] : [body];
      const ids = list.map((m) => (isRecord(m) && typeof m['id'] === 'string' ? m['id'] : undefined));
      seen.push({ target, routeKey: event.routeKey, room: event.pathParameters?.['room'], ids: target === 'publish' ? ids : [], event });
      const fault = faults.shift();
      if (fault && 'fail' in fault) return refuse(fault.fail.status, fault.fail.code, 'injected', undefined, fault.fail.retryable);
      if (fault && 'run' in fault) fault.run();
      if (target === 'history') return history(event);
      const answer = publish(event, body);
      if (fault && 'slowMs' in fault) await sleep(fault.slowMs);
      return answer;
    },
  });
  return { url: started.url, seen, faults, rooms, close: () => started.close() };
}
