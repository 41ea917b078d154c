/** The run's markdown summary (bench/results/<name>.md): goals, then each measurement's table. */
import type { ConflationRoom } from './conflation.js';
import { formatNumber } from '../models/format.js';
import type { EndToEndResult, PhaseResult } from './end-to-end.js';
import type { BenchReport } from './report.js';

/** A markdown table; columns in `right` are right-aligned. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string[] {
  const align = header.map((_, column) => (right.includes(column) ? '---:' : '---'));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(align), ...rows.map(line)];
}

const num = (value: number | null | undefined): string => (value === null || value === undefined || Number.isNaN(value) ? '-' : formatNumber(value));
const mb = (value: number | undefined): string => (value === undefined ? '-' : formatNumber(Math.round(value)));
const percent = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);
const times = (value: number | null): string => (value === null ? '-' : `${value.toFixed(value < 10 ? 1 : 0)}x`);

export function summaryMarkdown(report: BenchReport, chartFile: string): string {
  const { machine } = report;
  const lines = [
    `# roomcast benchmark: ${report.name}`,
    '',
    `\`${report.command}\`, started ${report.startedAt}, ${formatNumber(report.durationS)} s.`,
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, Node.js ${machine.node}, ${machine.platform}; ` +
      `1-minute load average ${machine.loadAverage.min} to ${machine.loadAverage.max} (mean ${machine.loadAverage.mean}) during the run.`,
    `Target: ${report.target}.`,
    '',
    '## Goals',
    '',
    ...mdTable(['goal', 'target', 'measured', 'met'], report.goals.map((goal) => [goal.name, goal.target, goal.measured, goal.met === null ? '-' : goal.met ? 'yes' : 'no'])),
    '',
    ...endToEnd(report),
    ...conflation(report),
    ...storm(report),
    ...fanout(report),
    ...makespan(report),
    `![chart](${chartFile})`,
    '',
  ];
  return lines.join('\n');
}

function endToEnd(report: BenchReport): string[] {
  if (report.endToEnd.length === 0) return [];
  const { settings } = report;
  const phase = (result: PhaseResult | null): string[] => [num(result?.latencyMs?.p50), num(result?.latencyMs?.p95), num(result?.latencyMs?.p99), num(result?.latencyMs?.max)];
  const row = (result: EndToEndResult): string[] => [
    formatNumber(result.subscribers),
    result.clients,
    result.target,
    formatNumber(result.rooms),
    ...phase(result.steady),
    num(result.steady.deliveriesPerSecond),
    num(result.broadcast?.deliveriesPerSecond),
    num(result.broadcast?.latencyMs?.p99),
    `${result.steady.lost + (result.broadcast?.lost ?? 0)} / ${result.steady.duplicates + (result.broadcast?.duplicates ?? 0)}`,
    memory(result),
  ];
  return [
    '## End to end',
    '',
    `Steady phase: ${settings.messages} publishes at ${settings.rate} a second, round robin over rooms of ${formatNumber(settings.roomSize)} subscribers ` +
      `(${formatNumber(settings.rate * settings.roomSize)} deliveries a second offered). ` +
      broadcastPhase(settings) +
      `Data of ${settings.messageBytes} bytes. Latency: receive time minus the time the publish request was sent, both read by the benchmark process. ` +
      '`raw`: a minimal `ws` server on this machine broadcasting each published message, measured with the same clients and publisher.',
    '',
    ...mdTable(
      ['subscribers', 'clients', 'target', 'rooms', 'steady p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'steady deliveries/s', 'broadcast deliveries/s', 'broadcast p99 ms', 'lost / duplicates', 'peak RSS MB'],
      report.endToEnd.flatMap((item) => [row(item.pipeline), ...(item.raw ? [row(item.raw)] : [])]),
      [0, 3, 4, 5, 6, 7, 8, 9, 10],
    ),
    '',
    ...mdTable(
      ['subscribers', 'clients', 'broadcast deliveries/s, pipeline / raw', 'steady p99, pipeline / raw', 'sockets opened/s (pipeline)'],
      report.endToEnd.map((item) => [formatNumber(item.subscribers), item.clients, percent(item.ratios.deliveriesPerSecond), times(item.ratios.p99), num(item.pipeline.open.perSecond)]),
      [0, 2, 3, 4],
    ),
    '',
    ...cpuTable(report),
    ...pipelineCounts(report),
  ];
}

/** CPU per delivery in the broadcast phase, by process: what bounds the deliveries a second. */
function cpuTable(report: BenchReport): string[] {
  const results = report.endToEnd.flatMap((item) => [item.pipeline, ...(item.raw ? [item.raw] : [])]).filter((result) => result.broadcast);
  const names = [...new Set(results.flatMap((result) => Object.keys(result.broadcast!.cpuMsPerDelivery)))];
  if (names.length === 0) return [];
  return [
    'CPU milliseconds per delivery in the broadcast phase, by process (all threads; `bench`: the measuring process, its clients and publisher):',
    '',
    ...mdTable(
      ['subscribers', 'clients', 'target', ...names, 'all'],
      results.map((result) => {
        const cpu = result.broadcast!.cpuMsPerDelivery;
        const all = Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
        return [formatNumber(result.subscribers), result.clients, result.target, ...names.map((name) => (name in cpu ? cpu[name]!.toFixed(3) : '-')), all.toFixed(3)];
      }),
      [0, ...names.map((_, index) => index + 3), names.length + 3],
    ),
    '',
  ];
}

const COUNTS = ['Published', 'FanoutPlanned', 'Delivered', 'Gone', 'Failed', 'DeadLettered', 'Retried', 'Throttled'] as const;

/** The local cloud's own counts over each measurement, where it has a control endpoint. */
function pipelineCounts(report: BenchReport): string[] {
  const rows = report.endToEnd.filter((item) => item.pipeline.pipelineCounts);
  if (rows.length === 0) return [];
  return [
    "The local cloud's metric counts over each pipeline measurement, warm-up included, read once the last delivery arrived (docs/local.md, Metrics):",
    '',
    ...mdTable(
      ['subscribers', 'clients', ...COUNTS],
      rows.map((item) => [formatNumber(item.subscribers), item.clients, ...COUNTS.map((name) => num(item.pipeline.pipelineCounts![name] ?? 0))]),
      [0, ...COUNTS.map((_, index) => index + 2)],
    ),
    '',
  ];
}

function broadcastPhase({ broadcastDeliveries, broadcastWindow }: BenchReport['settings']): string {
  if (broadcastDeliveries === 0) return '';
  const pace = broadcastWindow === 1 ? 'one at a time (the next once the last reached every subscriber)' : `the next as soon as fewer than ${broadcastWindow} are still being delivered`;
  return `Broadcast phase: publishes to a room of all the subscribers, ${pace}, ${formatNumber(broadcastDeliveries)} deliveries in all. `;
}

function memory(result: EndToEndResult): string {
  return Object.entries(result.memory)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, peak]) => `${name} ${mb(peak.rssMb)}${peak.heapMb === undefined ? '' : ` (heap ${mb(peak.heapMb)})`}`)
    .join(', ') || '-';
}

function conflation(report: BenchReport): string[] {
  const result = report.conflation;
  if (!result) return [];
  const delay = result.postDelayInjected ? `every post to a socket delayed ${formatNumber(result.postDelayMs)} ms (the local cloud's post-delay fault, standing in for API Gateway's request quota)` : 'no post delay (the target takes no faults)';
  const row = (kind: string, room: ConflationRoom): string[] => [
    kind,
    room.conflated ? 'yes' : 'no',
    formatNumber(room.publishes),
    num(room.lagMs?.p50),
    num(room.lagMs?.p95),
    num(room.lagMs?.p99),
    num(room.lagMs?.max),
    num(room.posts?.planned),
    num(room.posts?.conflated),
    percent(room.skippedShare),
    `${formatNumber(room.receivedPerSubscriber.mean)} (${room.receivedPerSubscriber.min} to ${room.receivedPerSubscriber.max})`,
    String(room.notOnLast),
    num(room.convergedMs),
  ];
  return [
    '## Conflation',
    '',
    `${formatNumber(result.subscribers)} raw sockets, each subscribed to a conflated room (ConflateRooms) and to a plain room, the baseline. ` +
      `Each room in turn: ${formatNumber(result.messages)} publishes at ${formatNumber(result.rate)} a second with ${delay}; then the delay ends and the room settles. ` +
      'Lag of message i at a subscriber: from the publish of i until the subscriber held i or a newer message (newer by position, the room\'s order). ' +
      "Posts skipped: the local cloud's Conflated count against FanoutPlanned over the room's turn.",
    '',
    ...mdTable(
      ['room', 'conflated', 'publishes', 'lag p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'posts planned', 'posts skipped', 'skipped', 'messages per subscriber (min to max)', 'not on the last message', 'all on the last after ms'],
      [row('conflated', result.conflatedRoom), row('plain', result.plainRoom)],
      [2, 3, 4, 5, 6, 7, 8, 9, 11, 12],
    ),
    '',
    `Lag p99, conflated / plain: ${result.lagP99Ratio === null ? '-' : `${result.lagP99Ratio.toFixed(2)}x`}. ` +
      `Subscribers whose last frame was an older message than one they had (a client keeps the newest by \`pos\`, docs/protocol.md): ${result.conflatedRoom.endedOnOlder} (conflated), ${result.plainRoom.endedOnOlder} (plain).` +
      (result.notes.length > 0 ? ` Note: ${result.notes.join('; ')}.` : ''),
    '',
  ];
}

function storm(report: BenchReport): string[] {
  const result = report.storm;
  if (!result) return [];
  const errors = Object.entries(result.errors).map(([error, count]) => `${formatNumber(count)} x ${error}`).join(', ') || 'none';
  const cpu = Object.entries(result.cpuMsPerSubscribe).map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join(', ');
  return [
    '## Subscribe storm',
    '',
    `${formatNumber(result.subscribers)} open sockets each send one subscribe with a snapshot of ${result.snapshot} to one room holding ${result.history} messages, ` +
      `spread over ${formatNumber(result.windowMs)} ms (sent in ${formatNumber(result.sentInMs)} ms), and send it again after a retryable refusal, with the client SDK's backoff. ` +
      'Latency: from sending the first subscribe to receiving the snapshot. ' +
      (result.historyReads === null
        ? 'History reads: not counted for this target (on AWS: the SampleCount of the messages table\'s SuccessfulRequestLatency for Query in CloudWatch).'
        : 'History reads: Query calls on the messages table, counted by a proxy in front of DynamoDB Local.'),
    '',
    ...mdTable(
      ['subscribers', 'snapshots', 'retried', 'failed', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'last snapshot after ms', 'history reads', 'history reads/s', 'peak RSS MB'],
      [
        [
          formatNumber(result.subscribers),
          formatNumber(result.snapshots),
          formatNumber(result.retried),
          formatNumber(result.failed),
          num(result.latencyMs?.p50),
          num(result.latencyMs?.p95),
          num(result.latencyMs?.p99),
          num(result.latencyMs?.max),
          formatNumber(result.durationMs),
          num(result.historyReads),
          num(result.historyReadsPerSecond),
          Object.entries(result.memory)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, peak]) => `${name} ${mb(peak.rssMb)}`)
            .join(', ') || '-',
        ],
      ],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ),
    '',
    `Subscribes sent: ${formatNumber(result.attempts)}; refusals: ${errors}.` + (cpu ? ` CPU milliseconds per snapshot served, by process: ${cpu}.` : ''),
    '',
  ];
}

function fanout(report: BenchReport): string[] {
  if (!report.fanoutCost) return [];
  return [
    '## Fan-out cost',
    '',
    'One publish per room size, real publish and deliver handlers, requests counted at DynamoDB Local and the SQS emulator (bench/fanout-cost.ts); priced with models/cost-model.ts.',
    '',
    ...mdTable(
      ['subscribers', 'posts', 'missed', 'posted twice', 'read units', 'write units', 'SQS requests', 'deliver invocations', 'overhead / API Gateway messages'],
      report.fanoutCost.map(({ measured, cost }) => [
        formatNumber(measured.subscribers),
        formatNumber(measured.posts),
        String(measured.missed),
        String(measured.duplicated),
        num(measured.dynamo.readUnits),
        num(measured.dynamo.writeUnits),
        num(Object.values(measured.sqs.billed).reduce((sum, count) => sum + count, 0)),
        String(measured.lambda.deliverInvocations),
        Number.isFinite(cost.overheadRatio) ? percent(cost.overheadRatio) : '-',
      ]),
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
    ),
    '',
  ];
}

function makespan(report: BenchReport): string[] {
  if (!report.makespan) return [];
  const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
  return [
    '## Makespan model',
    '',
    'From a publish until every subscriber was posted, on AWS, against the minimum the account quota allows (models/makespan.ts, the default model inputs; `roomcast cost --makespan`).',
    '',
    ...mdTable(
      ['subscribers', 'planning', 'makespan s', 'minimum s', 'ratio'],
      report.makespan.map((row) => [formatNumber(row.subscribers), row.basis === 'aws-latencies' ? 'assumed AWS latencies' : 'measured locally', seconds(row.makespanMs), seconds(row.minimumMs), `${row.ratio.toFixed(2)}x`]),
      [0, 2, 3, 4],
    ),
    '',
  ];
}
