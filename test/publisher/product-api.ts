/**
 * The publish API as the product runs it: template.yaml's HTTP API routes (AWS_IAM) on the
 * local HTTP API, in front of the publish and history functions' own handlers on a stack
 * of their own (DynamoDB Local, the SQS emulator). Positions, cursors and `complete` are
 * the product's. The API keeps what it was sent and answered, and can play a scripted
 * fault on the next calls.
 */
import { httpPlan } from '../../local/cloud/apis.js';
import { startHttpApi, type HttpApiEventV2 } from '../../local/http-api/index.js';
import { callHttp, httpEvent } from '../support/flow.js';
import type { LambdaHandler } from '../support/functions.js';
import { REGION, startStackOn, type Stack } from '../support/stack.js';

export { REGION };
export const CREDENTIALS = { accessKeyId: 'AKIAPUBLISHERTEST001', secretAccessKey: 'publisher/test+secret000000000000000000' };

/** What the next call does instead of (or beside) the function's own answer. */
export type Fault =
  /** Answers this in the product's error shape without running the function. */
  | { fail: { status: number; code: string; retryable: boolean } }
  /** Runs the function, then answers only after this long. */
  | { slowMs: number };

export interface Seen {
  /** The function's logical id. */
  target: string;
  routeKey: string;
  room: string | undefined;
  /** The idempotency ids the body carried (one for a single publish, several for a batch). */
  ids: Array<string | undefined>;
  event: HttpApiEventV2;
  /** What the caller was answered: the status and the parsed body. */
  answer?: { statusCode: number; body: any };
}

export interface StoredMessage {
  id: string;
  pos: string;
  ts: number;
  data: unknown;
}

export interface ProductApi {
  /** The API's base URL (no stage). */
  url: string;
  seen: Seen[];
  faults: Fault[];
  /** A room's stored messages, oldest first, as the history function reads them (up to HistoryLength). */
  stored(room: string): Promise<StoredMessage[]>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Starts the API on a fresh stack in the given services; `stage` names the API's stage (default `$default`). */
export async function startProductApi(services: { dynamodb: string; sqs: string }, options: { stage?: string } = {}): Promise<ProductApi> {
  const stack = await startStackOn(services);
  try {
    return await serve(stack, options.stage);
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

async function serve(stack: Stack, stage: string | undefined): Promise<ProductApi> {
  const plan = httpPlan(stack.model, []);
  if (!plan) throw new Error('template.yaml has no HTTP API');
  const handlers = new Map<string, LambdaHandler>();
  for (const target of new Set(plan.routes.map((route) => route.target))) handlers.set(target, await stack.handler(target));
  const history = await stack.handler('history');
  const seen: Seen[] = [];
  const faults: Fault[] = [];

  const started = await startHttpApi({
    apiId: plan.id,
    region: REGION,
    routes: plan.routes,
    credentials: CREDENTIALS,
    ...(stage === undefined ? {} : { stage }),
    async invoke(target, raw) {
      const event = raw as HttpApiEventV2;
      const call: Seen = { target, routeKey: event.routeKey, room: event.pathParameters?.['room'], ids: idsOf(target, event.body), event };
      seen.push(call);
      const fault = faults.shift();
      const result = fault && 'fail' in fault ? refusal(fault.fail) : ((await handlers.get(target)!(event)) as { statusCode: number; body?: string });
      call.answer = { statusCode: result.statusCode, body: result.body === undefined ? undefined : JSON.parse(result.body) };
      if (fault && 'slowMs' in fault) await sleep(fault.slowMs);
      return result;
    },
  });

  return {
    url: started.url,
    seen,
    faults,
    async stored(room) {
      const limit = stack.functionEnv('history').HISTORY_LENGTH ?? '100';
      const { statusCode, body } = await callHttp(history, httpEvent('history', { room, query: { limit } }));
      if (statusCode !== 200) throw new Error(`history answered ${statusCode}: ${JSON.stringify(body)}`);
      return (body as { messages: StoredMessage[] }).messages;
    },
    close: once(async () => {
      await started.close();
      await stack.stop();
    }),
  };
}

function once(work: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= work());
}

function idsOf(target: string, body: string | undefined): Array<string | undefined> {
  if (!/publish/i.test(target)) return [];
  let parsed: unknown;
  try {
    parsed = body === undefined ? undefined : JSON.parse(body);
  } catch {
    return [undefined];
  }
  const list = isRecord(parsed) && Array.isArray(parsed['messages']) ? parsed['messages'] : [parsed];
  return list.map((item: unknown) => (isRecord(item) && typeof item['id'] === 'string' ? item['id'] : undefined));
}

/** An error answer in the product's shape (`{"error": {code, message, retryable}}`). */
function refusal({ status, code, retryable }: { status: number; code: string; retryable: boolean }) {
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code, message: 'injected', retryable } }) };
}
