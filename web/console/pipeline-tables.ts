/**
 * The pipeline panel's tables: counts in path order (with the delivery gap), the
 * connections' counts, and the latency summaries. Built once; `show` writes a snapshot's
 * numbers into their cells. Plain tables with row and column headers: every number has
 * its name, nothing is said by colour.
 */
import { CONNECTION_STAGES, LATENCIES, PATH_STAGES, QUANTILES, STAGE_HELP, type Stage } from '@roomcast/local/metrics/names';
import type { LatencySummary, MetricsSnapshot } from '@roomcast/local';
import { element } from './dom.js';

/** A latency table row: its header and the number it shows of a summary (undefined: none yet). */
interface LatencyRow {
  label: string;
  value(summary: LatencySummary): number | undefined;
}

const LATENCY_ROWS: LatencyRow[] = [
  { label: 'values', value: (summary) => summary.count },
  ...QUANTILES.map((q) => ({ label: `p${Math.round(q * 100)}`, value: (summary: LatencySummary) => (summary.count > 0 ? summary.quantiles[String(q)] : undefined) })),
  { label: 'max', value: (summary) => (summary.count > 0 ? summary.max : undefined) },
];

export interface PipelineTables {
  readonly element: HTMLElement;
  show(snapshot: MetricsSnapshot): void;
}

export function pipelineTables(): PipelineTables {
  const cells = new Map<string, HTMLTableCellElement>();
  const cell = (key: string): HTMLTableCellElement => {
    const td = element('td', { className: 'number', attributes: { 'data-metric': key } });
    cells.set(key, td);
    return td;
  };
  const stageRow = (stage: Stage): HTMLTableRowElement => element('tr', {}, rowHeader(stage), cell(stage), element('td', { text: STAGE_HELP[stage] }));
  const countHeads = (): HTMLTableSectionElement => element('thead', {}, element('tr', {}, columnHeader('Stage'), columnHeader('Count'), columnHeader('What it counts')));

  const path = element(
    'table',
    {},
    element('caption', { text: 'Message path, in order' }),
    countHeads(),
    element('tbody', {}, ...PATH_STAGES.map(stageRow)),
    element('tfoot', {}, element('tr', {}, rowHeader('In flight or lost'), cell('unaccounted'), element('td', { text: 'FanoutPlanned − Delivered − Gone − Failed − Conflated: posts still queued or retrying, or lost; 0 once delivery has settled' }))),
  );
  const connections = element('table', {}, element('caption', { text: 'Connections' }), countHeads(), element('tbody', {}, ...CONNECTION_STAGES.map(stageRow)));
  const latency = element(
    'table',
    {},
    element('caption', { text: 'Latency in milliseconds' }),
    element('thead', {}, element('tr', {}, columnHeader('Statistic'), ...LATENCIES.map(columnHeader))),
    element('tbody', {}, ...LATENCY_ROWS.map((row) => element('tr', {}, rowHeader(row.label), ...LATENCIES.map((name) => cell(`${name}:${row.label}`))))),
  );

  const write = (key: string, value: number | undefined): void => {
    const target = cells.get(key);
    const text = value === undefined ? 'none yet' : String(Math.round(value));
    if (target && target.textContent !== text) target.textContent = text;
  };

  return {
    element: element('div', { className: 'pipeline-tables' }, path, connections, latency),
    show(snapshot) {
      for (const stage of [...PATH_STAGES, ...CONNECTION_STAGES]) write(stage, snapshot.counts[stage] ?? 0);
      write('unaccounted', snapshot.delivery.unaccounted);
      for (const name of LATENCIES) {
        const summary = snapshot.latencies[name] ?? { count: 0, sum: 0, quantiles: {}, max: 0 };
        for (const row of LATENCY_ROWS) write(`${name}:${row.label}`, row.value(summary));
      }
    },
  };
}

function rowHeader(text: string): HTMLTableCellElement {
  return element('th', { attributes: { scope: 'row' } }, ...breakable(text));
}

function columnHeader(text: string): HTMLTableCellElement {
  return element('th', { attributes: { scope: 'col' } }, ...breakable(text));
}

/** A metric's name with a line break opportunity between its words (`Fanout<wbr>Planned`), so narrow tables break it there. */
function breakable(name: string): (Node | string)[] {
  return name.split(/(?<=[a-z])(?=[A-Z])/).flatMap((word, index) => (index === 0 ? [word] : [element('wbr'), word]));
}
