/**
 * End-to-end helpers: a local cloud started in this test file (on the run's DynamoDB Local
 * and SQS emulator), real `ws` clients and real SigV4-signed HTTP requests.
 */
import { afterAll, beforeAll, inject } from 'vitest';
import WebSocket from 'ws';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions, type RegionCloud } from '../../local/cloud.js';
import { signedFetch } from '../../local/http-api/index.js';
import { uniqueStackName } from '../support/resources.js';

/** How long an awaited event may take on a busy machine. */
export const PATIENCE_MS = 15_000;

/** Lines the cloud and its functions wrote; printed when ROOMCAST_E2E_LOGS is set. */
export const logs: string[] = [];
const keep = (line: string): void => {
  logs.push(line);
  if (logs.length > 500) logs.shift();
  if (process.env.ROOMCAST_E2E_LOGS) process.stderr.write(`${line}\n`);
};

export function startCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  return startLocalCloud({
    port: 0,
    samconfig: false,
    watch: false,
    stackName: uniqueStackName('e2e'),
    services: inject('roomcastServices'),
    // Each concurrent delivery starts another environment of the deliver function: a cold
    // start that costs a second of CPU on a small machine. Two are plenty for these tests.
    parameterOverrides: { DeliveryMaxConcurrency: '2' },
    log: keep,
    functionLog: (fn, line) => keep(`[${fn}] ${line}`),
    ...options,
  });
}

/** A local cloud for this test file: started before its tests, stopped after them. */
export function cloudForFile(options: LocalCloudOptions = {}): () => LocalCloud {
  let cloud: LocalCloud | undefined;
  beforeAll(async () => {
    cloud = await startCloud(options);
  });
  afterAll(() => cloud?.stop());
  return () => {
    if (!cloud) throw new Error('the local cloud did not start');
    return cloud;
  };
}

/** A real WebSocket client that keeps every JSON frame it gets. */
export class Socket {
  readonly frames: any[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      this.listeners.forEach((listener) => listener());
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens `wsUrl?token=...` (no token: the bare URL); `cloud` may be one region of several. */
  static open(cloud: RegionCloud, token: string | undefined = cloud.info.token, protocols?: string[]): Promise<Socket> {
    return Socket.connect(token ? `${cloud.info.wsUrl}?token=${token}` : cloud.info.wsUrl, protocols);
  }

  /** Opens any WebSocket URL of a cloud (an application that is not roomcast takes no token). */
  static connect(url: string, protocols?: string[]): Promise<Socket> {
    const ws = new WebSocket(url, protocols);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Socket(ws)));
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (from `from` on) that matches, as soon as it is there. */
  waitFor(match: (frame: any) => boolean, what: string, from = 0): Promise<any> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.frames.slice(from).find(match);
        if (found === undefined) return false;
        finish();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${what} within ${PATIENCE_MS} ms; frames: ${JSON.stringify(this.frames).slice(0, 2000)}`));
      }, PATIENCE_MS);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      if (!check()) this.listeners.add(check);
    });
  }

  /** Subscribes and waits for the `subscribed` answer. */
  async subscribe(rooms: string[], extra: Record<string, unknown> = {}): Promise<void> {
    const from = this.frames.length;
    this.send({ action: 'subscribe', rooms, ...extra });
    await this.waitFor((frame) => frame.type === 'subscribed' || frame.type === 'error', `answer to subscribe ${rooms.join(',')}`, from);
  }

  messages(room: string): any[] {
    return this.frames.filter((frame) => frame.type === 'message' && frame.room === room);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

/** How a handshake ended: opened (then closed again at once), or refused with a status. */
export function handshake(url: string, protocols?: string[], headers?: Record<string, string>): Promise<'open' | number | Error> {
  const ws = new WebSocket(url, protocols, headers ? { headers } : {});
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', (error) => resolve(error));
  });
}

/** POST /rooms/{room}/messages, signed with the local credentials (or not). */
export function publish(cloud: RegionCloud, room: string, body: unknown, { signed = true } = {}): Promise<Response> {
  const url = `${cloud.info.publishUrl}/rooms/${encodeURIComponent(room)}/messages`;
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  if (!signed) return fetch(url, init);
  const { accessKeyId, secretAccessKey, region } = cloud.info;
  return signedFetch(url, init, { region, credentials: { accessKeyId, secretAccessKey } });
}

/** Publishes and checks the 202; resolves to its `{room, id, pos}`. */
export async function published(cloud: RegionCloud, room: string, data: unknown, id?: string): Promise<{ room: string; id: string; pos: string }> {
  const response = await publish(cloud, room, { data, ...(id ? { id } : {}) });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`publish answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** Polls an asynchronous condition (state in a service) until it holds. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = PATIENCE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The id of the connection that opened between two looks at the gateway's connections. */
export function newConnectionId(cloud: RegionCloud, before: string[]): string {
  const fresh = (cloud.servers.gateway?.gateway.connections() ?? []).filter((id) => !before.includes(id));
  if (fresh.length !== 1) throw new Error(`expected one new connection, found ${fresh.length}`);
  return fresh[0]!;
}

/** Drops the socket while `$disconnect` is not run, as when API Gateway loses it. */
export async function loseDisconnect(target: LocalCloud, { socket, id }: { socket: Socket; id: string }): Promise<void> {
  const { gateway } = target.servers.gateway!;
  gateway.faults.set({ dropDisconnect: true });
  try {
    socket.ws.terminate();
    await eventually(async () => !gateway.connections().includes(id), 'the gateway to see the socket closed');
  } finally {
    gateway.faults.set({ dropDisconnect: false });
  }
}
