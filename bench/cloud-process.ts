/**
 * The local cloud under test, in its own process as `npm start` runs it: the same
 * `startLocalCloud` (the template, the gateway, the HTTP API, the SQS emulator in that
 * process, the functions in its worker threads), on a DynamoDB Local the benchmark started,
 * so that the benchmark knows the JVM's pid and can put a meter in front of it. The cloud's
 * own log lines and its functions' output are dropped (printing them is no part of the pipeline).
 */
import type { CloudInfo } from '@roomcast/local/options';
import { forkHelper, isHelper, serveHelper, type Helper } from './helper-process.js';
import { ownSample, type ProcessSample } from './process-probes.js';

export interface CloudProcessOptions {
  /** DynamoDB Local, or a meter in front of it. */
  dynamodb: string;
  /** A running SQS emulator; default: one in the cloud's process, as `npm start` has. */
  sqs?: string;
  stackName: string;
  parameterOverrides?: Record<string, string>;
  /** Write a CPU profile of the cloud's main thread (gateway, HTTP API, SQS emulator, event sources) here. */
  cpuProfileDir?: string;
}

export interface CloudProcess {
  info: CloudInfo;
  pid: number;
  /** The cloud process's resident set, main-thread heap and CPU time (the functions' worker threads are in the resident set and the CPU time). */
  sample(): Promise<ProcessSample>;
  stop(): Promise<void>;
}

export async function startCloudProcess(options: CloudProcessOptions): Promise<CloudProcess> {
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const helper: Helper<CloudInfo> = await forkHelper(import.meta.url, options, profile);
  return { info: helper.ready, pid: helper.pid, sample: () => helper.call<ProcessSample>('sample'), stop: () => helper.stop() };
}

async function serve(options: CloudProcessOptions) {
  const { startLocalCloud, startSqsEmulator } = await import('@roomcast/local');
  const emulator = options.sqs ? undefined : await startSqsEmulator();
  const cloud = await startLocalCloud({
    port: 0,
    samconfig: false,
    watch: false,
    stackName: options.stackName,
    services: { dynamodb: options.dynamodb, sqs: options.sqs ?? emulator!.endpoint },
    ...(options.parameterOverrides ? { parameterOverrides: options.parameterOverrides } : {}),
    ttlIntervalMs: 0,
    log: () => undefined,
    functionLog: () => undefined,
  }).catch(async (error: unknown) => {
    await emulator?.stop();
    throw error;
  });
  return {
    ready: cloud.info,
    calls: { sample: () => ownSample() },
    stop: async () => {
      await cloud.stop();
      await emulator?.stop();
    },
  };
}

if (isHelper(import.meta.url)) serveHelper(serve);
