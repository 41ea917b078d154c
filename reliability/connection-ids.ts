/**
 * Which connection id the gateway gave each socket of a load scenario: the gateway lists
 * the ids of its open connections, and `@connections` GET (the real management API client)
 * answers each one's User-Agent, the socket's label.
 */
import { ApiGatewayManagementApiClient, GetConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { CloudInfo } from '@roomcast/local';

export class ConnectionIds {
  private readonly byLabel = new Map<string, string>();
  /** Ids already looked up (ours or not), so each is asked about once. */
  private readonly seen = new Set<string>();
  private readonly client: ApiGatewayManagementApiClient;
  private lookup: Promise<void> | undefined;

  constructor(
    info: CloudInfo,
    private readonly openIds: () => string[],
  ) {
    this.client = new ApiGatewayManagementApiClient({
      endpoint: info.connectionsUrl,
      region: info.region,
      credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
    });
  }

  /** The id of the open socket labelled `label` (once its handshake has completed). */
  async of(label: string): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const id = this.byLabel.get(label);
      if (id !== undefined) return id;
      this.lookup ??= this.lookUpNew().finally(() => (this.lookup = undefined));
      await this.lookup;
      if (!this.byLabel.has(label)) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no open connection has the User-Agent ${label}`);
  }

  /** Never look these ids up: connections the caller will not ask about (e.g. those already open). */
  ignore(ids: Iterable<string>): void {
    for (const id of ids) this.seen.add(id);
  }

  /** Forget a label once its socket is closed (its id is never reused). */
  forget(label: string): void {
    this.byLabel.delete(label);
  }

  destroy(): void {
    this.client.destroy();
  }

  private async lookUpNew(): Promise<void> {
    const fresh = this.openIds().filter((id) => !this.seen.has(id));
    await Promise.all(
      fresh.map(async (id) => {
        this.seen.add(id);
        try {
          const answer = await this.client.send(new GetConnectionCommand({ ConnectionId: id }));
          const label = answer.Identity?.UserAgent;
          if (label) this.byLabel.set(label, id);
        } catch (error) {
          if ((error as Error).name !== 'GoneException') throw error; // closed meanwhile
        }
      }),
    );
  }
}
