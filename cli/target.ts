/** A target request made real: URLs, region, credentials and token, and a publisher for it. */
import { createPublisher, type Credentials, type Publisher } from '@roomcast/client/publisher';
import type { Context } from './command.js';
import { localInfo } from './local-cloud.js';
import { readStack } from './stack.js';
import type { TargetRequest } from './target-options.js';

export interface Target {
  wsUrl: string;
  publishUrl: string;
  region: string;
  /** Absent: the AWS default credential chain. */
  credentials?: Credentials;
  /** The local cloud's dev token, asked anew for every connection (a restarted cloud has a new one). */
  getToken?: () => Promise<string>;
}

export async function resolveTarget(request: TargetRequest, context: Pick<Context, 'note'>): Promise<Target> {
  if (request.kind === 'urls') return { wsUrl: request.wsUrl, publishUrl: request.publishUrl, region: request.region };
  if (request.kind === 'stack') {
    context.note(`reading the outputs of stack ${request.stack}...`);
    return readStack(request.stack, request.region);
  }
  const { port } = request;
  const info = await localInfo(port);
  let known: string | undefined = info.token;
  const getToken = async (): Promise<string> => {
    const token = known ?? (await localInfo(port)).token;
    known = undefined;
    return token;
  };
  return {
    wsUrl: info.wsUrl,
    publishUrl: info.publishUrl,
    region: info.region,
    credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
    // No dev token: the cloud runs with AuthMode=none (or verifies tokens of a JWKS issuer).
    ...(info.token ? { getToken } : {}),
  };
}

export function publisherOf(target: Target): Publisher {
  return createPublisher({
    endpoint: target.publishUrl,
    region: target.region,
    ...(target.credentials ? { credentials: target.credentials } : {}),
  });
}
