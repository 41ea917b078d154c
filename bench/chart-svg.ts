/**
 * The run's chart, a hand-written SVG: grouped bars on a logarithmic axis, one panel for
 * steady-phase latency (p50 and p99) and one for broadcast deliveries per second, the pipeline
 * beside the raw `ws` broadcast at each size.
 */
import { formatNumber } from '../models/format.js';
import type { BenchReport } from './report.js';

export interface Bar {
  series: string;
  value: number | null;
}

export interface Group {
  label: string;
  bars: Bar[];
}

export interface Panel {
  title: string;
  groups: Group[];
}

const SERIES_COLORS: Record<string, string> = {
  'pipeline p50': '#7fb3e0',
  'pipeline p99': '#1f5f99',
  'raw p50': '#f2b27a',
  'raw p99': '#b3590f',
  pipeline: '#1f5f99',
  raw: '#b3590f',
};
const FALLBACK_COLOR = '#777777';

const WIDTH = 760;
const PANEL_HEIGHT = 260;
const MARGIN = { left: 70, right: 20, top: 52, bottom: 40 };

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!);
}

/** Powers of ten from below the smallest value (a decade lower when it is near one) to above the largest. */
export function logDomain(values: readonly number[]): [number, number] {
  const positive = values.filter((value) => value > 0);
  if (positive.length === 0) return [1, 10];
  const smallest = Math.min(...positive);
  const power = 10 ** Math.floor(Math.log10(smallest));
  // A bar just above the axis would hardly show.
  const low = smallest < 3 * power ? power / 10 : power;
  const high = 10 ** Math.ceil(Math.log10(Math.max(...positive)));
  return [low, high > low ? high : low * 10];
}

/** One panel at vertical offset `top`: title, legend, axis, grid, bars and their values. */
export function panelSvg(panel: Panel, top: number): string {
  const plot = { x: MARGIN.left, y: top + MARGIN.top, width: WIDTH - MARGIN.left - MARGIN.right, height: PANEL_HEIGHT - MARGIN.top - MARGIN.bottom };
  const values = panel.groups.flatMap((group) => group.bars.map((bar) => bar.value ?? 0));
  const [low, high] = logDomain(values);
  const yOf = (value: number): number => plot.y + plot.height - ((Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * plot.height;
  const series = [...new Set(panel.groups.flatMap((group) => group.bars.map((bar) => bar.series)))];
  const parts = [`<text x="${plot.x}" y="${top + 20}" class="title">${escapeXml(panel.title)}</text>`, legendSvg(series, top + 28)];
  for (let tick = low; tick <= high; tick *= 10) {
    const y = yOf(tick).toFixed(1);
    parts.push(`<line x1="${plot.x}" x2="${plot.x + plot.width}" y1="${y}" y2="${y}" class="grid"/>`, `<text x="${plot.x - 6}" y="${y}" class="tick" text-anchor="end" dominant-baseline="middle">${formatNumber(tick)}</text>`);
  }
  const groupWidth = plot.width / Math.max(1, panel.groups.length);
  panel.groups.forEach((group, index) => {
    const barWidth = Math.min(36, (groupWidth * 0.8) / Math.max(1, group.bars.length));
    const start = plot.x + index * groupWidth + (groupWidth - barWidth * group.bars.length) / 2;
    group.bars.forEach((bar, position) => {
      const x = start + position * barWidth;
      if (bar.value === null || bar.value <= 0) {
        parts.push(`<text x="${(x + barWidth / 2).toFixed(1)}" y="${plot.y + plot.height - 4}" class="value" text-anchor="middle">n/a</text>`);
        return;
      }
      const y = yOf(bar.value);
      const fill = SERIES_COLORS[bar.series] ?? FALLBACK_COLOR;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(plot.y + plot.height - y).toFixed(1)}" fill="${fill}"><title>${escapeXml(`${group.label}, ${bar.series}: ${formatNumber(bar.value)}`)}</title></rect>`,
        `<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(y - 3).toFixed(1)}" class="value" text-anchor="middle">${escapeXml(formatNumber(bar.value))}</text>`,
      );
    });
    parts.push(`<text x="${(plot.x + index * groupWidth + groupWidth / 2).toFixed(1)}" y="${plot.y + plot.height + 18}" class="label" text-anchor="middle">${escapeXml(group.label)}</text>`);
  });
  parts.push(`<line x1="${plot.x}" x2="${plot.x}" y1="${plot.y}" y2="${plot.y + plot.height}" class="axis"/>`, `<line x1="${plot.x}" x2="${plot.x + plot.width}" y1="${plot.y + plot.height}" y2="${plot.y + plot.height}" class="axis"/>`);
  return parts.join('\n');
}

function legendSvg(series: readonly string[], top: number): string {
  return series
    .map((name, index) => {
      const x = MARGIN.left + index * 120;
      return `<rect x="${x}" y="${top}" width="12" height="12" fill="${SERIES_COLORS[name] ?? FALLBACK_COLOR}"/><text x="${x + 18}" y="${top + 10}" class="label">${escapeXml(name)}</text>`;
    })
    .join('\n');
}

/** A whole SVG document: the panels stacked, each with its legend, and a caption. */
export function chartSvg(panels: readonly Panel[], caption: string): string {
  const height = panels.length * PANEL_HEIGHT + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    '<style>.title{font-size:14px;font-weight:bold}.tick,.value{font-size:10px;fill:#333}.label{font-size:11px;fill:#222}.grid{stroke:#ddd}.axis{stroke:#444}.caption{font-size:10px;fill:#555}</style>',
    '<rect width="100%" height="100%" fill="#ffffff"/>',
    ...panels.map((panel, index) => panelSvg(panel, index * PANEL_HEIGHT)),
    `<text x="${MARGIN.left}" y="${height - 10}" class="caption">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/** The report's two panels: steady latency, and broadcast deliveries per second. */
export function reportChart(report: Pick<BenchReport, 'endToEnd' | 'name' | 'machine' | 'startedAt'>): string {
  const label = (row: BenchReport['endToEnd'][number]): string => `${formatNumber(row.subscribers)} (${row.clients})`;
  const latency: Panel = {
    title: 'Publish to receive, steady phase (ms, log scale)',
    groups: report.endToEnd.map((row) => ({
      label: label(row),
      bars: [
        { series: 'pipeline p50', value: row.pipeline.steady.latencyMs?.p50 ?? null },
        { series: 'pipeline p99', value: row.pipeline.steady.latencyMs?.p99 ?? null },
        ...(row.raw ? [{ series: 'raw p50', value: row.raw.steady.latencyMs?.p50 ?? null }, { series: 'raw p99', value: row.raw.steady.latencyMs?.p99 ?? null }] : []),
      ],
    })),
  };
  const throughput: Panel = {
    title: 'Deliveries per second, broadcast phase (log scale)',
    groups: report.endToEnd.map((row) => ({
      label: label(row),
      bars: [{ series: 'pipeline', value: row.pipeline.broadcast?.deliveriesPerSecond ?? null }, ...(row.raw ? [{ series: 'raw', value: row.raw.broadcast?.deliveriesPerSecond ?? null }] : [])],
    })),
  };
  const { machine } = report;
  return chartSvg([latency, throughput], `${report.name}, ${report.startedAt.slice(0, 10)}: ${machine.cpus} CPUs, Node ${machine.node}, load average ${machine.loadAverage.min} to ${machine.loadAverage.max}; subscribers (client kind)`);
}
