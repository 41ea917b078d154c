import { DeleteConnectionCommand, GoneException } from '@aws-sdk/client-apigatewaymanagementapi';
import type { AwsClients } from './aws-clients.js';
import type { ConnectionsApiPort, PostOutcome } from '../app/ports.js';

export type { PostOutcome } from '../app/ports.js';

/** API Gateway's answer when the account's request rate is exceeded. */
function isThrottle(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'LimitExceededException' || name === 'TooManyRequestsException' || $metadata?.httpStatusCode === 429;
}

/**
 * The @connections API with our own deadline, so a call is abandoned when it passes (the
 * SDK's request timeout does not always fire, aws-sdk-js-v3 #6896). Posts go out as one
 * signed request each (SignedPoster); DeleteConnection, rare, through the SDK.
 */
export class ConnectionsApi implements ConnectionsApiPort {
  constructor(
    private readonly clients: AwsClients,
    private readonly timeoutMs: number,
  ) {}

  post(endpoint: string, connectionId: string, frame: string): Promise<{ outcome: PostOutcome; error?: unknown }> {
    const data = Buffer.from(frame);
    return this.call('PostToConnection', (abortSignal) => this.clients.poster(endpoint).post(connectionId, data, abortSignal));
  }

  /** Close a connection from the server's side (API Gateway then runs `$disconnect`). */
  close(endpoint: string, connectionId: string): Promise<{ outcome: PostOutcome; error?: unknown }> {
    const command = new DeleteConnectionCommand({ ConnectionId: connectionId });
    return this.call('DeleteConnection', (abortSignal) => this.clients.connectionsApi(endpoint).send(command, { abortSignal }));
  }

  private async call(name: string, send: (abortSignal: AbortSignal) => Promise<unknown>): Promise<{ outcome: PostOutcome; error?: unknown }> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`${name} took longer than ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    try {
      await Promise.race([send(abort.signal), deadline]);
      return { outcome: 'delivered' };
    } catch (error) {
      if (error instanceof GoneException || (error as { name?: string }).name === 'GoneException') return { outcome: 'gone', error };
      return { outcome: isThrottle(error) ? 'throttled' : 'failed', error };
    } finally {
      clearTimeout(timer);
    }
  }
}
