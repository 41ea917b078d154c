import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { ClientOptions } from 'ws';
import {
  startGateway,
  type AuthorizerEvent,
  type GatewayOptions,
  type GatewayRoute,
  type StartedGateway,
  type WebSocketEvent,
} from '../../local/gateway/index.js';

/** Any event the gateway sends: a WebSocket event or an authorizer event. */
export type AnyEvent = WebSocketEvent & Partial<Omit<AuthorizerEvent, 'requestContext' | 'headers' | 'multiValueHeaders'>>;

/** One call of the fake `invoke`: which function, with which event. */
export interface Call {
  target: string;
  event: AnyEvent;
}

export type Handler = (event: AnyEvent) => unknown;

/** A fake `invoke`: records every call and answers with the handler of its target. */
export function fakeInvoke(handlers: Record<string, Handler> = {}) {
  const calls: Call[] = [];
  const waiters: Array<{ target: string; count: number; resolve: () => void }> = [];
  const of = (target: string): Call[] => calls.filter((call) => call.target === target);
  const invoke = async (target: string, event: unknown): Promise<unknown> => {
    const call: Call = { target, event: event as AnyEvent };
    calls.push(call);
    for (const waiter of waiters.filter((item) => of(item.target).length >= item.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const handler = handlers[target];
    return handler ? await handler(call.event) : { statusCode: 200 };
  };
  /** Resolves once `target` has been invoked `count` times in all (no timer: usable under fake timers). */
  const invoked = (target: string, count = 1): Promise<void> =>
    of(target).length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ target, count, resolve }));
  return { calls, invoke, of, invoked, handlers };
}

export const ROUTES: GatewayRoute[] = [
  { routeKey: '$connect', target: 'connect', hasRouteResponse: false },
  { routeKey: '$disconnect', target: 'disconnect', hasRouteResponse: false },
  { routeKey: '$default', target: 'default', hasRouteResponse: true },
  { routeKey: 'echo', target: 'echo', hasRouteResponse: true },
  { routeKey: 'silent', target: 'silent', hasRouteResponse: false },
];

const started: StartedGateway[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const ws of clients.splice(0)) ws.terminate();
  await Promise.all(started.splice(0).map((gateway) => gateway.close()));
});

export type TestOptions = Partial<GatewayOptions> & Pick<GatewayOptions, 'invoke'>;

/** A gateway on a free port, closed after the test. */
export async function start(options: TestOptions): Promise<StartedGateway> {
  const gateway = await startGateway({
    apiId: 'abc123',
    stage: 'test',
    region: 'eu-west-1',
    routeSelectionExpression: '$request.body.action',
    routes: ROUTES,
    ...options,
  });
  started.push(gateway);
  return gateway;
}

/** The real management API client, pointed at a gateway's connections URL. */
export function sdk(endpoint: string, secretAccessKey = 'local-secret'): ApiGatewayManagementApiClient {
  return new ApiGatewayManagementApiClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey }, maxAttempts: 1 });
}

/** A connected `ws` client that queues what it receives. */
export class Client {
  private readonly received: string[] = [];
  private readonly waiting: Array<(text: string) => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      const waiter = this.waiting.shift();
      if (waiter) waiter(text);
      else this.received.push(text);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(url: string, protocols?: string[], options?: ClientOptions): Promise<Client> {
    const ws = new WebSocket(url, protocols, options);
    clients.push(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }

  /** The next text frame, within `timeoutMs`. */
  next(timeoutMs = 2000): Promise<string> {
    const queued = this.received.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message arrived')), timeoutMs);
      this.waiting.push((text) => {
        clearTimeout(timer);
        resolve(text);
      });
    });
  }

  /**
   * A ping answered by the gateway's pong: every frame it sent before reading the ping has
   * arrived by then (one socket keeps its frames in order). Rejects when the socket closes first.
   */
  roundTrip(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onPong = (): void => {
        this.ws.off('close', onClose);
        resolve();
      };
      const onClose = (): void => {
        this.ws.off('pong', onPong);
        reject(new Error('the socket closed before the pong'));
      };
      this.ws.once('pong', onPong);
      this.ws.once('close', onClose);
      this.ws.ping();
    });
  }

  /** True when no frame is waiting to be read once a ping round trip is over: nothing was sent before it. */
  async quiet(): Promise<boolean> {
    await this.roundTrip();
    return this.received.length === 0;
  }

  send(data: string | Buffer, options: { binary?: boolean; fin?: boolean } = {}): void {
    this.ws.send(data, options);
  }
}

/** The HTTP answer to a handshake that the gateway refused. */
export function refused(url: string, options?: ClientOptions, protocols?: string[]): Promise<{ status: number; body: string }> {
  const ws = new WebSocket(url, protocols, options);
  clients.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the handshake was accepted')));
    ws.once('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it holds, or fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}
