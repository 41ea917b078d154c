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

export async function loadSecret(ref: string, region: string): Promise<string> {
  const source = secretSource(ref);
  if (source.kind === 'ssm') {
    const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
    const { Parameter } = await new SSMClient({ region }).send(new GetParameterCommand({ Name: source.name, WithDecryption: true }));
    return required(Parameter?.Value, ref);
  }
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const { SecretString } = await new SecretsManagerClient({ region }).send(new GetSecretValueCommand({ SecretId: source.arn }));
  return required(SecretString, ref);
}

function required(value: string | undefined, ref: string): string {
  if (!value) throw new RoomcastError('INTERNAL', `the secret at ${ref} is empty`);
  return value;
}
