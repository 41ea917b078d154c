/**
 * The pipeline panel's charts: each stage's rate per second, and the delivery latency's
 * p50 and p99, over the last five minutes. The page keeps the readings it made; the rates
 * are the differences of successive counts (web/console/pipeline-series.ts).
 */
import type { MetricsSnapshot } from '@roomcast/local';
import { element } from './dom.js';
import { LATENCY_STYLES, RATE_STYLES } from './pipeline-palette.js';
import { CHARTED_LATENCY, latencyColumns, PipelineHistory, RATE_STAGES, rateColumns, readingOf } from './pipeline-series.js';
import { timeChart } from './time-chart.js';

export const WINDOW_MS = 5 * 60_000;
/** Readings further apart than this (a hidden tab, a cloud that did not answer) break the lines. */
const MAX_GAP_MS = 5_000;

export interface PipelineCharts {
  readonly element: HTMLElement;
  /** Adds a reading made at `now` (ms since the epoch; none when the metrics could not be read) and redraws the window ending then. */
  show(snapshot: MetricsSnapshot | undefined, now: number): void;
}

export function pipelineCharts(): PipelineCharts {
  const history = new PipelineHistory(WINDOW_MS);
  const rates = timeChart({
    name: 'rates',
    caption: 'Rate per second of each stage, last 5 minutes',
    unit: 'per second',
    series: RATE_STAGES.map((stage) => RATE_STYLES[stage]),
  });
  const latency = timeChart({
    name: 'latency',
    caption: `${CHARTED_LATENCY} p50 and p99 in milliseconds, last 5 minutes`,
    unit: 'ms',
    series: LATENCY_STYLES,
  });
  return {
    element: element('div', { className: 'pipeline-charts' }, rates.element, latency.element),
    show(snapshot, now) {
      if (snapshot) history.add(readingOf(snapshot, now));
      else history.forget(now);
      const from = (now - WINDOW_MS) / 1000;
      const to = now / 1000;
      rates.show(rateColumns(history.readings, MAX_GAP_MS), from, to);
      latency.show(latencyColumns(history.readings, MAX_GAP_MS), from, to);
    },
  };
}
