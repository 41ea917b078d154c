import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { Hash } from '@smithy/hash-node';

/** SHA-256 on node:crypto for the signer: several times faster than the pure-JavaScript hash it otherwise gets. */
const SHA256 = Hash.bind(null, 'sha256');

/** What a management API request that did not succeed came to, shaped like the SDK's errors. */
export class ManagementApiError extends Error {
  readonly $metadata: { httpStatusCode: number };

  constructor(name: string, status: number, message: string) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** The error name API Gateway's management API answers by status, when it sends none. */
const NAMES: Readonly<Record<number, string>> = {
  403: 'ForbiddenException',
  410: 'GoneException',
  413: 'PayloadTooLargeException',
  429: 'LimitExceededException',
};

const SOCKETS = 256;
const ERROR_BODY_BYTES = 1024;

/**
 * PostToConnection as one SigV4-signed HTTP request: what the SDK's client sends, without
 * its middleware stack. A deliver invocation spends most of its CPU time on posts, and this
 * takes about a quarter of the CPU per post that the SDK's command does.
 *
 * A 403 is what expired credentials and a skewed clock both get: the poster then reads
 * the clock offset from the answer's `Date` (as the SDK's `systemClockOffset` does),
 * refreshes the credentials once (one refresh shared by the posts that meet it at the
 * same time), and posts once more; only a second 403 is the caller's to handle.
 */
export class SignedPoster {
  private readonly signer: SignatureV4;
  private readonly url: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly send: typeof httpRequest;
  /** Server time minus this machine's, in ms, as the last 403's `Date` said. */
  private clockOffsetMs = 0;
  private refreshing: Promise<unknown> | undefined;

  constructor(
    endpoint: string,
    region: string,
    private readonly credentials: AwsCredentialIdentityProvider,
    private readonly now: () => number = Date.now,
  ) {
    this.url = new URL(endpoint);
    const secure = this.url.protocol === 'https:';
    this.agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: SOCKETS }) : new HttpAgent({ keepAlive: true, maxSockets: SOCKETS });
    this.send = secure ? httpsRequest : httpRequest;
    this.signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: SHA256, applyChecksum: false });
  }

  /** `POST {stage}/@connections/{id}`; resolves on 2xx, rejects with a ManagementApiError otherwise. */
  async post(connectionId: string, data: Buffer, abortSignal?: AbortSignal): Promise<void> {
    const first = await this.attempt(connectionId, data, abortSignal);
    if (first === undefined) return;
    if (first.error.$metadata.httpStatusCode !== 403) throw first.error;
    this.correctClock(first.date);
    await this.refreshCredentials();
    const second = await this.attempt(connectionId, data, abortSignal);
    if (second !== undefined) throw second.error;
  }

  private correctClock(date: string | undefined): void {
    const server = date ? Date.parse(date) : Number.NaN;
    if (Number.isFinite(server)) this.clockOffsetMs = server - this.now();
  }

  /**
   * Ask the provider for fresh credentials once, however many posts wait for them. The
   * SDK's providers keep what `forceRefresh` fetched, so the signer's next call gets it.
   */
  private async refreshCredentials(): Promise<void> {
    this.refreshing ??= this.credentials({ forceRefresh: true }).finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  /** One signed post: undefined when delivered, else the error and the answer's `Date`. */
  private async attempt(connectionId: string, data: Buffer, abortSignal?: AbortSignal): Promise<{ error: ManagementApiError; date: string | undefined } | undefined> {
    const { hostname, port, protocol, host } = this.url;
    const base = this.url.pathname.replace(/\/$/, '');
    const signed = await this.signer.sign({
      method: 'POST',
      protocol,
      hostname,
      ...(port ? { port: Number(port) } : {}),
      path: `${base}/@connections/${encodeSegment(connectionId)}`,
      query: {},
      headers: { host, 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
      body: data,
    }, { signingDate: new Date(this.now() + this.clockOffsetMs) });
    abortSignal?.throwIfAborted();
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = this.send({ agent: this.agent, protocol, hostname, port, method: 'POST', path: signed.path, headers: signed.headers, signal: abortSignal }, resolve);
      req.on('error', reject);
      req.end(data);
    });
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      response.resume();
      return undefined;
    }
    return { error: await errorOf(response, status), date: response.headers.date };
  }
}

/** The connection id as one path segment, encoded as the SDK encodes it. */
function encodeSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

async function errorOf(response: IncomingMessage, status: number): Promise<ManagementApiError> {
  let body = '';
  for await (const chunk of response) if (body.length < ERROR_BODY_BYTES) body += String(chunk);
  const declared = String(response.headers['x-amzn-errortype'] ?? '').split(':')[0];
  const name = declared || NAMES[status] || (status >= 500 ? 'InternalServerErrorException' : `Http${status}`);
  let message = body.slice(0, ERROR_BODY_BYTES);
  try {
    message = String((JSON.parse(body) as { message?: unknown }).message ?? message);
  } catch {
    // Not JSON: the text as it came.
  }
  return new ManagementApiError(name, status, message || `HTTP ${status}`);
}
