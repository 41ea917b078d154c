import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { RoomcastError } from '../errors.js';

/**
 * Where an HS256 secret comes from: an SSM SecureString parameter (a name starting with
 * "/") or a Secrets Manager secret (an ARN). The clients load only when needed.
 */
export type SecretSource = { kind: 'ssm'; name: string } | { kind: 'secretsmanager'; arn: string };

export function secretSource(ref: string): SecretSource {
  if (ref.startsWith('/')) return { kind: 'ssm', name: ref };
  if (/^arn:aws[a-z-]*:secretsmanager:/.test(ref)) return { kind: 'secretsmanager', arn: ref };
  throw new RoomcastError('INTERNAL', 'JWT_SECRET_REF must be an SSM parameter name (/...) or a Secrets Manager ARN');
}

/** Powertools' providers, one per region and kind; each caches what it read for `maxAge`. */
const providers = new Map<string, Promise<SSMProvider | SecretsProvider>>();

function providerOf(kind: SecretSource['kind'], region: string): Promise<SSMProvider | SecretsProvider> {
  const key = `${kind}:${region}`;
  let provider = providers.get(key);
  if (!provider) {
    provider =
      kind === 'ssm'
        ? import('@aws-lambda-powertools/parameters/ssm').then(({ SSMProvider }) => new SSMProvider({ clientConfig: { region } }))
        : import('@aws-lambda-powertools/parameters/secrets').then(({ SecretsProvider }) => new SecretsProvider({ clientConfig: { region } }));
    providers.set(key, provider);
  }
  return provider;
}

/**
 * The secret's value, read again once it is `maxAgeSeconds` old: a rotated secret takes
 * effect within that time in every warm instance, not at its next cold start.
 */
export async function loadSecret(ref: string, region: string, maxAgeSeconds: number): Promise<string> {
  const source = secretSource(ref);
  const provider = await providerOf(source.kind, region);
  const value =
    source.kind === 'ssm'
      ? await (provider as SSMProvider).get(source.name, { decrypt: true, maxAge: maxAgeSeconds })
      : await (provider as SecretsProvider).get(source.arn, { maxAge: maxAgeSeconds });
  if (typeof value !== 'string' || !value) throw new RoomcastError('INTERNAL', `the secret at ${ref} is empty`);
  return value;
}
