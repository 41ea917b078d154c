/**
 * The inputs of the cost and makespan models that AWS does not publish. Each is either an
 * assumption (a round figure, to be replaced by a measurement on AWS) or a figure measured
 * on this repository's local cloud, with the command that measured it. Both models print
 * the values they used.
 */

export interface ModelInput {
  value: number;
  kind: 'assumption' | 'measured';
  about: string;
}

export const MODEL_INPUTS = {
  postToConnectionMs: {
    value: 20,
    kind: 'assumption',
    about: 'one PostToConnection round trip from Lambda to API Gateway in the same region',
  },
  dynamoRequestMs: {
    value: 6,
    kind: 'assumption',
    about: 'one DynamoDB request round trip from Lambda (a Query page of 1 MB counts as one)',
  },
  sqsRequestMs: {
    value: 10,
    kind: 'assumption',
    about: 'one SendMessageBatch round trip from Lambda',
  },
  invocationOverheadMs: {
    value: 2,
    kind: 'assumption',
    about: 'handler time besides requests: parsing, planning, metrics (warm invocations)',
  },
  pollDelayMs: {
    value: 100,
    kind: 'assumption',
    about: 'from a delivery job or a plan task enqueued to an invocation holding it (SQS event source polling)',
  },
  nextBatchMs: {
    value: 10,
    kind: 'assumption',
    about: "from an invocation's end until the SQS event source hands its slot the next batch, when messages are waiting",
  },
  indexCopyWriteFactor: {
    value: 2,
    kind: 'assumption',
    about:
      "write units AWS bills for the byOrigin local index's copy of a message, per write unit of the message: index writes are billed, DynamoDB Local does not count them, and they are taken as doubled like the rest of the publish transaction",
  },
  postCpuMs: {
    value: 0.26,
    kind: 'measured',
    about:
      "CPU time of the deliver handler per post in a room of 100,000, one core of this machine taken as one vCPU (npm run bench:fanout-cost, 2026-11-22, 2-core x86, load average about 2; another run gave 0.25; 0.85 when posts went through the AWS SDK's PostToConnectionCommand; plain HTTP: TLS on AWS adds to it)",
  },
  planningMsPer1000: {
    value: 21,
    kind: 'measured',
    about:
      'publish handler time per 1,000 subscribers, reading their rows and enqueueing their jobs, between rooms of 1 and 100,000 (npm run bench:fanout-cost, 2026-11-22, DynamoDB Local and the SQS emulator behind metering proxies, load average about 2; another run gave 20; 79 to 104 while other benchmarks shared the machine)',
  },
} as const satisfies Record<string, ModelInput>;

export type ModelInputs = { [K in keyof typeof MODEL_INPUTS]: number };

/** The values, with some replaced. */
export function modelInputs(overrides: Partial<ModelInputs> = {}): ModelInputs {
  const values = Object.fromEntries(Object.entries(MODEL_INPUTS).map(([name, input]) => [name, input.value])) as ModelInputs;
  return { ...values, ...overrides };
}
