/** How `roomcast cost` prints a month's bill and the makespan model: aligned text tables. */
import { MODEL_INPUTS, type ModelInputs } from '../models/assumptions.js';
import type { CostLine, MonthlyCost } from '../models/cost-model.js';
import type { MakespanRow } from '../models/makespan-inputs.js';
import { formatNumber, formatUsd, table } from '../models/format.js';
import type { TemplateFacts } from '../models/template-facts.js';

const costRows = (lines: readonly CostLine[]): string[][] => lines.map((item) => [item.component, `${formatNumber(item.quantity)} ${item.measure}`, item.rate, formatUsd(item.usd)]);

export function costTable(cost: MonthlyCost): string[] {
  const { profile } = cost;
  const percent = (part: number): string => `${((part / cost.totalUsd) * 100).toFixed(0)}% of the total`;
  const appsync = cost.appsyncEvents;
  return [
    `AWS on-demand prices of ${cost.prices.region}, taken ${cost.prices.taken} (free tiers left out; sources: models/prices.ts)`,
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

const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const BASES = { 'aws-latencies': 'planning at the assumed AWS latencies', 'measured-locally': 'planning at the rate measured locally' } as const;

/** The makespan rows by planning basis, then what each quota's concurrency gives and what goes over a timeout. */
export function makespanTable(rows: readonly MakespanRow[], facts: Pick<TemplateFacts, 'maxConcurrency'>): string[] {
  const provisioned = rows.some((row) => row.pollers);
  const header = ['subscribers', 'quota/s', 'planning s', 'makespan s', 'minimum s', 'ratio', 'at the quota', 'deliver peak', 'planner peak', provisioned ? 'pollers' : 'DeliveryMaxConcurrency'];
  const line = (row: MakespanRow): string[] => [
    formatNumber(row.subscribers),
    formatNumber(row.quotaPerSecond),
    seconds(row.planningMs),
    seconds(row.makespanMs),
    seconds(row.minimumMs),
    `${row.ratio.toFixed(2)}x`,
    row.atQuotaFromMs === undefined ? 'never' : `from ${seconds(row.atQuotaFromMs)} s`,
    String(row.peakConcurrency),
    String(row.plannerPeakConcurrency),
    row.pollers ? `${row.pollers.maximum}, ${row.pollers.minimum} ready (${row.concurrency})` : `${row.maxConcurrency} (${row.concurrency})`,
  ];
  const out: string[] = [];
  for (const basis of Object.keys(BASES) as Array<keyof typeof BASES>) {
    const group = rows.filter((row) => row.basis === basis);
    if (group.length === 0) continue;
    out.push(`${BASES[basis]}:`, ...table([header, ...group.map(line)], [0, 1, 2, 3, 4, 5, 7, 8]), '');
  }
  const [first] = rows;
  if (!first) return out;
  const other = first.otherRequestsPerSecond > 0 ? `, less ${formatNumber(first.otherRequestsPerSecond)} a second of other traffic` : '';
  out.push(
    `one deliver invocation posts ${formatNumber(first.invocationPostsPerSecond)} a second by itself (the slower of its CPU and its network); ` +
      `each is paced at its share of the quota${other}: the quota over the instances posting` + start(first),
  );
  for (const row of unique(rows, (item) => `${item.quotaPerSecond}/${item.maxConcurrency}`)) out.push(concurrencyNote(row, facts.maxConcurrency));
  for (const row of unique(rows, (item) => String(item.subscribers))) {
    const same = rows.filter((item) => item.subscribers === row.subscribers);
    const first = unique(same, (item) => item.basis).map((item) => `${seconds(item.firstJobsMs)} s (${item.basis === 'aws-latencies' ? 'AWS latencies' : 'measured locally'})`);
    const how = row.planHops === 0 ? 'planned inside the publish' : `planned in ${plural(row.planHops, 'hop')} through the plan queue by ${plural(row.plannerInvocations, 'planner invocation')}`;
    out.push(`a room of ${formatNumber(row.subscribers)}: ${formatNumber(row.partitions)} partitions, ${how}; its first jobs enqueued at ${first.join(', ')}${timeouts(same)}`);
  }
  return out;
}

function start(row: MakespanRow): string {
  if (row.pollers) return '; the deliver event source in provisioned mode: 10 invocations a poller, the ready pollers from the start, 1,000 more invocations a minute';
  return row.warm ? '; the deliver event source starts warm, at its maximum' : '';
}

function concurrencyNote(row: MakespanRow, templateConcurrency: number): string {
  const quota = row.quotaPerSecond - row.otherRequestsPerSecond;
  const most = row.pollers
    ? `${plural(row.pollers.maximum, 'poller')} (${row.concurrency}: ${formatNumber(row.maxConcurrency)} instances at most) pace`
    : `DeliveryMaxConcurrency ${row.maxConcurrency} (${row.concurrency}) paces`;
  const used =
    `quota ${formatNumber(row.quotaPerSecond)}/s: ${most} each instance at ${formatNumber(row.pacedPostsPerSecond)} a second once all post, ` +
    `a full batch in ${formatNumber(row.deliverInvocationMs / 1000)} s` +
    (row.reachablePostsPerSecond < quota ? `, and ${row.pollers ? 'reach' : 'reaches'} ${formatNumber(row.reachablePostsPerSecond)}/s only: short of the quota` : `, and ${row.pollers ? 'reach' : 'reaches'} the quota`) +
    (row.deliverInvocationMs > row.deliverTimeoutMs ? ' (a batch takes longer than the deliver timeout)' : '');
  if (row.pollers || row.maxConcurrency === templateConcurrency) return used;
  const template = Math.min(quota, templateConcurrency * row.invocationPostsPerSecond);
  const ramp = templateConcurrency > row.maxConcurrency ? ', after a longer ramp' : '';
  return `${used}; the template's ${templateConcurrency} would reach ${template < quota ? `${formatNumber(template)}/s only` : `it too${ramp}`}`;
}

function timeouts(rows: readonly MakespanRow[]): string {
  const over = [
    rows.some((row) => row.handOffMs > row.publishTimeoutMs) ? "the publish takes longer than the publish function's timeout" : '',
    rows.some((row) => row.longestPlannerInvocationMs > row.planTimeoutMs) ? "a planner invocation takes longer than the plan function's timeout" : '',
  ].filter(Boolean);
  return over.length > 0 ? ` (${over.join('; ')})` : '';
}

const plural = (count: number, noun: string): string => `${formatNumber(count)} ${noun}${count === 1 ? '' : 's'}`;

function unique<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

export function inputsTable(inputs: ModelInputs): string[] {
  return (Object.keys(MODEL_INPUTS) as Array<keyof ModelInputs>).map((name) => `  ${name} = ${inputs[name]} (${MODEL_INPUTS[name].kind}: ${MODEL_INPUTS[name].about})`);
}
