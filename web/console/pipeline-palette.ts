/**
 * The pipeline charts' series: a label and a colour each (and a dash for effort, not
 * outcome). The colours are from Okabe and Ito's palette, told apart with the common
 * colour vision deficiencies; the legend names every line, and the tables beside the
 * charts hold the same numbers.
 */
import type { RateStage } from './pipeline-series.js';

export interface SeriesStyle {
  label: string;
  colour: string;
  dash?: number[];
}

export const RATE_STYLES: Record<RateStage, SeriesStyle> = {
  Published: { label: 'Published', colour: '#0072b2' },
  FanoutPlanned: { label: 'FanoutPlanned', colour: '#e69f00' },
  Delivered: { label: 'Delivered', colour: '#009e73' },
  Gone: { label: 'Gone', colour: '#cc79a7' },
  Failed: { label: 'Failed', colour: '#d55e00' },
  Retried: { label: 'Retried', colour: '#56b4e9', dash: [6, 4] },
};

/** In LATENCY_QUANTILES' order. */
export const LATENCY_STYLES: SeriesStyle[] = [
  { label: 'p50', colour: '#0072b2' },
  { label: 'p99', colour: '#d55e00' },
];
