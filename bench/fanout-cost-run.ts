/**
 * `npm run bench:fanout-cost [-- --sizes 1,100,10000,100000] [--message-bytes 256]
 *   [--latency-publishes 20] [--inline-partitions N] [--json]`:
 * measures one publish per room size (bench/fanout-cost.ts), prices it (models/cost-model.ts;
 * Lambda durations from the model, with the CPU time per post of this run) and prints the
 * figures, and the model inputs they give (models/assumptions.ts).
 */
import { parseArgs } from 'node:util';
import { modelInputs } from '../models/assumptions.js';
import { fanoutOverhead } from '../models/cost-model.js';
import { measureFanoutCost, type FanoutCost } from './fanout-cost.js';
import { formatNumber, formatUsd, table } from '../models/format.js';
import { templateFacts } from '../models/template-facts.js';

const { values } = parseArgs({ options: { sizes: { type: 'string' }, 'message-bytes': { type: 'string' }, 'latency-publishes': { type: 'string' }, 'inline-partitions': { type: 'string' }, json: { type: 'boolean' } } });
const sizes = (values.sizes ?? '1,100,10000,100000').split(',').map(Number);
const messageBytes = Number(values['message-bytes'] ?? 256);
const latencyPublishes = Number(values['latency-publishes'] ?? 20);
const inline = values['inline-partitions'];
if (sizes.some((size) => !Number.isInteger(size) || size < 1) || !Number.isInteger(messageBytes) || messageBytes < 2 || !Number.isInteger(latencyPublishes) || latencyPublishes < 0) {
  throw new Error('--sizes takes whole numbers of 1 or more, separated by commas; --message-bytes a whole number of 2 or more; --latency-publishes a whole number');
}
if (inline !== undefined && !/^\d+$/.test(inline)) throw new Error('--inline-partitions takes a whole number (PLAN_INLINE_PARTITIONS: rooms of at most that many partitions are planned inside the publish)');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const started = performance.now();
const progress = (line: string): void => void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
const measured = await measureFanoutCost({ sizes, messageBytes, latencyPublishes, progress, ...(inline !== undefined ? { env: { PLAN_INLINE_PARTITIONS: inline } } : {}) });
const derived = derivedInputs(measured);
// Lambda durations: the model's, with this run's CPU time per post.
const setup = { facts: templateFacts(), inputs: modelInputs({ postCpuMs: derived.postCpuMs }) };
const priced = measured.map((item) => ({ measured: item, cost: fanoutOverhead(item, setup) }));

if (values.json) {
  process.stdout.write(`${JSON.stringify({ messageBytes, results: priced, derived })}\n`);
} else {
  const billed = (item: FanoutCost): string => ['SendMessageBatch', 'ReceiveMessage', 'DeleteMessageBatch'].map((operation) => item.sqs.billed[operation] ?? 0).join(' + ');
  const lines = [
    ...table(
      [
        ['subscribers', 'posts', 'missed', 'twice', 'read units', 'write units', 'DynamoDB requests', 'SQS send + receive + delete', 'plan tasks', 'plan invocations', 'deliver invocations', 'jobs'],
        ...measured.map((item) =>
          [item.subscribers, item.posts, item.missed, item.duplicated, item.dynamo.readUnits, item.dynamo.writeUnits, Object.values(item.dynamo.requests).reduce((a, b) => a + b, 0), billed(item), item.lambda.planTasks, item.lambda.planInvocations, item.lambda.deliverInvocations, item.lambda.jobs].map((cell) =>
            typeof cell === 'number' ? formatNumber(cell) : cell,
          ),
        ),
      ],
      [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11],
    ),
    '',
    ...table(
      [
        ['subscribers', 'API Gateway messages', 'overhead (HTTP API, Lambda, SQS, DynamoDB)', 'overhead / messages'],
        ...priced.map(({ cost }) => [formatNumber(cost.subscribers), formatUsd(cost.apiGatewayUsd), formatUsd(cost.overheadUsd), `${(cost.overheadRatio * 100).toFixed(1)}%`]),
      ],
      [0, 1, 2, 3],
    ),
    '',
    ...table(
      [
        ['subscribers', 'partitions', 'planned', 'publish p50 ms', 'publish p99 ms', 'publishes timed', 'planning ms', 'deliver ms', 'deliver CPU ms per post'],
        ...measured.map((item) => [
          formatNumber(item.subscribers),
          formatNumber(item.room.partitions),
          item.room.inline ? 'inline' : 'planners',
          item.local.publishLatency.p50.toFixed(1),
          item.local.publishLatency.p99.toFixed(1),
          String(item.local.publishLatency.count),
          formatNumber(item.local.planningMs),
          formatNumber(item.local.deliverMs),
          (item.local.deliverCpuMs / item.posts).toFixed(2),
        ]),
      ],
      [0, 1, 3, 4, 5, 6, 7, 8],
    ),
    '',
    publishRatio(measured),
    '',
    `model inputs these give (models/assumptions.ts): postCpuMs ${derived.postCpuMs.toFixed(2)}, planningMsPer1000 ${derived.planningMsPer1000.toFixed(0)}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The goal's ratio: publish latency p99 of the largest room against the smallest's, measured in this run. */
function publishRatio(results: readonly FanoutCost[]): string {
  const bySize = [...results].sort((a, b) => a.subscribers - b.subscribers);
  const small = bySize[0]!;
  const large = bySize.at(-1)!;
  const ratio = large.local.publishLatency.p99 / small.local.publishLatency.p99;
  return `publish latency p99: ${formatNumber(large.subscribers)} subscribers ${large.local.publishLatency.p99.toFixed(1)} ms / ${formatNumber(small.subscribers)} subscriber(s) ${small.local.publishLatency.p99.toFixed(1)} ms = ${ratio.toFixed(2)}x (goal: at most 1.5x)`;
}

/** CPU per post at the largest size; planning time per 1,000 subscribers between the smallest and the largest. */
function derivedInputs(results: readonly FanoutCost[]): { postCpuMs: number; planningMsPer1000: number } {
  const bySize = [...results].sort((a, b) => a.subscribers - b.subscribers);
  const small = bySize[0]!;
  const large = bySize.at(-1)!;
  const span = large.subscribers - small.subscribers;
  return {
    postCpuMs: large.local.deliverCpuMs / large.posts,
    planningMsPer1000: span > 0 ? ((large.local.planningMs - small.local.planningMs) / span) * 1000 : Number.NaN,
  };
}
