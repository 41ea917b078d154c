/**
 * `--stack NAME`: the deployed stage's URLs from the stack's outputs (CloudFormation
 * DescribeStacks, with the AWS default credential chain). The mapping is pure.
 */
import { CliError } from './errors.js';

/** The part of DescribeStacks' answer that matters here. */
export interface StackDescription {
  StackName?: string | undefined;
  StackStatus?: string | undefined;
  Outputs?: { OutputKey?: string | undefined; OutputValue?: string | undefined }[] | undefined;
}

export interface StackEndpoints {
  wsUrl: string;
  publishUrl: string;
  region: string;
}

/** The outputs template.yaml declares for the two URLs. */
export const URL_OUTPUTS = { wsUrl: 'WebSocketUrl', publishUrl: 'PublishUrl' } as const;

export function endpointsFromStack(name: string, stack: StackDescription | undefined, region: string): StackEndpoints {
  if (!stack) throw new CliError(`stack ${name} not found in ${region}`);
  const outputs = new Map((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue?.replace(/\/+$/, '')]));
  const value = (key: string): string => {
    const found = outputs.get(key);
    if (found) return found;
    const status = stack.StackStatus ? ` (status ${stack.StackStatus})` : '';
    throw new CliError(`stack ${name} in ${region} has no output ${key}${status}: is it a roomcast stack?`);
  };
  return { wsUrl: value(URL_OUTPUTS.wsUrl), publishUrl: value(URL_OUTPUTS.publishUrl), region };
}

/** DescribeStacks in `region` (default: the AWS config's region). */
export async function readStack(name: string, region: string | undefined): Promise<StackEndpoints> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient(region ? { region } : {});
  try {
    const resolved = await client.config.region().catch(() => '');
    if (!resolved) throw new CliError('no AWS region: pass --region or set AWS_REGION');
    const answer = await client.send(new DescribeStacksCommand({ StackName: name })).catch((error: unknown) => {
      throw new CliError(`cannot read stack ${name} in ${resolved}: ${error instanceof Error ? error.message : String(error)}`);
    });
    return endpointsFromStack(name, answer.Stacks?.[0], resolved);
  } finally {
    client.destroy();
  }
}
