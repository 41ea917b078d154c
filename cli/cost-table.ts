/** How `roomcast cost` prints a month's bill and the makespan model: aligned text tables. */
import { MODEL_INPUTS, type ModelInputs } from '../bench/assumptions.js';
import type { CostLine, MonthlyCost } from '../bench/cost-model.js';
import type { MakespanRow } from '../bench/makespan-inputs.js';
import { formatNumber, formatUsd, table } from '../bench/format.js';

const costRows = (lines: readonly CostLine[]): string[][] => lines.map((item) => [item.component, `${formatNumber(item.quantity)} ${item.measure}`, item.rate, formatUsd(item.usd)]);

export function costTable(cost: MonthlyCost): string[] {
  const { profile } = cost;
  const percent = (part: number): string => `${((part / cost.totalUsd) * 100).toFixed(0)}% of the total`;
  const appsync = cost.appsyncEvents;
  return [
    `AWS on-demand prices of ${cost.prices.region}, taken ${cost.prices.taken} (free tiers left out; sources: bench/prices.ts)`,
    `profile: ${formatNumber(profile.connections)} connections, ${formatNumber(profile.minutesPerConnection / 60)} h each a month, ` +
      `${formatNumber(profile.publishesPerSecond)} publishes/s to rooms of ${formatNumber(profile.subscribersPerRoom)} subscribers, ` +
      `${formatNumber(profile.messageBytes)}-byte messages, ${profile.roomsPerConnection} room(s) per connection, snapshots of ${profile.snapshot}, ` +
      `a new connection every ${profile.lifetimeMinutes} min`,
    '',
    ...table([['component', 'per month', 'price', 'USD/month'], ...costRows(cost.lines), ['total', '', '', formatUsd(cost.totalUsd)]], [1, 3]),
    '',
    `floor: ${cost.floor.component}: ${formatNumber(cost.floor.quantity)} ${cost.floor.measure}, ${formatUsd(cost.floor.usd)} (${percent(cost.floor.usd ?? 0)})`,
    '',
    'AWS AppSync Events, the same traffic:',
    ...table([...costRows(appsync.lines), [appsync.complete ? 'total' : 'total of the prices found', '', '', formatUsd(appsync.knownUsd)]], [1, 3]).map((row) => `  ${row}`),
  ];
}

export function makespanTable(rows: readonly MakespanRow[]): string[] {
  const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
  const body = rows.map((row) => [
    formatNumber(row.subscribers),
    row.basis === 'aws-latencies' ? 'assumed AWS latencies' : 'measured locally',
    seconds(row.planningMs) + (row.planningMs > row.publishTimeoutMs ? ' (over the publish timeout)' : ''),
    seconds(row.makespanMs),
    seconds(row.minimumMs),
    `${row.ratio.toFixed(2)}x`,
    row.throttleBoundFromMs === undefined ? 'never' : `from ${seconds(row.throttleBoundFromMs)} s`,
    String(row.peakConcurrency),
  ]);
  const [first] = rows;
  return [
    ...table([['subscribers', 'planning', 'planning s', 'makespan s', 'minimum s', 'ratio', 'at the quota', 'peak invocations'], ...body], [0, 2, 3, 4, 5, 7]),
    '',
    first ? `one deliver invocation posts ${formatNumber(first.invocationPostsPerSecond)} per second (the slower of its CPU and its network)` : '',
  ];
}

export function inputsTable(inputs: ModelInputs): string[] {
  return (Object.keys(MODEL_INPUTS) as Array<keyof ModelInputs>).map((name) => `  ${name} = ${inputs[name]} (${MODEL_INPUTS[name].kind}: ${MODEL_INPUTS[name].about})`);
}
