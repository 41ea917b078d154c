/** What one execution environment (worker) of a function sees: its variables and context fields. */
import { randomBytes } from 'node:crypto';
import { basename, dirname, extname } from 'node:path';
import type { EndpointAlias } from './endpoint-aliases.js';
import type { WorkerConfig } from './protocol.js';
import type { FunctionSpec } from './types.js';

const DEFAULT_REGION = 'us-east-1';
const LOCAL_ACCOUNT = '000000000000';

export interface FunctionIdentity {
  functionName: string;
  arn: string;
  region: string;
  logGroupName: string;
}

export function functionIdentity(spec: FunctionSpec, baseEnv: Record<string, string>): FunctionIdentity {
  const functionName = spec.name ?? spec.id;
  const region = spec.environment.AWS_REGION ?? baseEnv.AWS_REGION ?? DEFAULT_REGION;
  return {
    functionName,
    region,
    arn: spec.arn ?? `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${functionName}`,
    logGroupName: `/aws/lambda/${functionName}`,
  };
}

/** A log stream name in Lambda's format: 2026/11/21/[$LATEST]<32 hex digits>, one per environment. */
export function newLogStreamName(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * The worker's whole process.env: baseEnv, then the function's own variables, then the ones
 * Lambda reserves. Nothing of the host's environment leaks in except PATH (Lambda defines
 * one too, and child processes need it). TZ and LANG are left out: a worker cannot apply them.
 */
export function workerEnvironment(
  spec: FunctionSpec,
  baseEnv: Record<string, string>,
  identity: FunctionIdentity,
  logStreamName: string,
): Record<string, string> {
  const entryName = basename(spec.entry, extname(spec.entry));
  const env: Record<string, string> = { ...baseEnv, ...spec.environment };
  return {
    ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
    ...env,
    AWS_REGION: identity.region,
    AWS_DEFAULT_REGION: env.AWS_DEFAULT_REGION ?? identity.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
    AWS_LAMBDA_FUNCTION_NAME: identity.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: identity.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: dirname(spec.entry),
    _HANDLER: `${entryName}.${spec.handler}`,
  };
}

export function workerConfig(
  spec: FunctionSpec,
  identity: FunctionIdentity,
  codeUrl: string,
  logStreamName: string,
  endpointAliases: EndpointAlias[] = [],
): WorkerConfig {
  return {
    codeUrl,
    handler: spec.handler,
    functionName: identity.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: identity.arn,
    memoryLimitInMB: String(spec.memoryMb),
    logGroupName: identity.logGroupName,
    logStreamName,
    endpointAliases,
  };
}
