/**
 * A line chart over a sliding window of time (uPlot on a canvas), as wide as its panel:
 * a figure with a caption, the plot, and a legend naming each line. Before it has any
 * value it draws its axes over the window and no line; a null value breaks a line.
 */
import uPlot from 'uplot';
import { element } from './dom.js';
import type { SeriesStyle } from './pipeline-palette.js';
import type { Columns } from './pipeline-series.js';

/** Height of the plot and its axes in CSS pixels (the legend is below). */
const HEIGHT = 200;
const LINE_WIDTH = 2;
const AXIS_COLOUR = '#4a4a4a';
const GRID_COLOUR = 'rgba(0, 0, 0, 0.1)';

export interface ChartSpec {
  /** `data-chart` of the figure. */
  name: string;
  caption: string;
  /** What the vertical axis counts, e.g. "per second". */
  unit: string;
  series: readonly SeriesStyle[];
}

/** The window shown, in seconds since the epoch. */
interface Span {
  from: number;
  to: number;
}

export interface TimeChart {
  readonly element: HTMLElement;
  /** Draws these columns (times in seconds) over the window from `from` to `to` (seconds). */
  show(columns: Columns, from: number, to: number): void;
}

export function timeChart(spec: ChartSpec): TimeChart {
  const holder = element('div', { className: 'chart' });
  const figure = element('figure', { className: 'pipeline-chart', attributes: { 'data-chart': spec.name } }, element('figcaption', { text: spec.caption }), holder);
  const span: Span = { from: 0, to: 1 };
  const plot = new uPlot(options(spec, span), emptyColumns(spec, span), holder);
  // As wide as the panel: a new width redraws the chart at it.
  new ResizeObserver(() => {
    const width = Math.floor(holder.clientWidth);
    if (width > 0 && width !== plot.width) plot.setSize({ width, height: HEIGHT });
  }).observe(holder);

  return {
    element: figure,
    show(columns, from, to) {
      span.from = from;
      span.to = to;
      plot.setData(columns[0].length > 0 ? columns : emptyColumns(spec, span));
    },
  };
}

/** No value yet: the window's two ends and no value, so that the axes are drawn over it. */
function emptyColumns(spec: ChartSpec, span: Span): Columns {
  return [[span.from, span.to], ...spec.series.map(() => [null, null])];
}

function options(spec: ChartSpec, span: Span): uPlot.Options {
  const axis = { stroke: AXIS_COLOUR, grid: { stroke: GRID_COLOUR, width: 1 }, ticks: { stroke: GRID_COLOUR, width: 1 } };
  return {
    width: 320,
    height: HEIGHT,
    series: [{ label: 'Time' }, ...spec.series.map((style) => ({ label: style.label, stroke: style.colour, width: LINE_WIDTH, ...(style.dash ? { dash: style.dash } : {}) }))],
    scales: {
      x: { time: true, range: (): uPlot.Range.MinMax => [span.from, span.to] },
      // From 0 to a round number above the highest value; 0 to 1 while there is none.
      y: { range: (_plot, _min, max): uPlot.Range.MinMax => [0, Number.isFinite(max) && max > 0 ? uPlot.rangeNum(0, max, 0.1, true)[1] : 1] },
    },
    axes: [axis, { ...axis, label: spec.unit, size: 56 }],
    // The window moves every second: no zooming, no cursor; the legend names the lines, the tables have the numbers.
    cursor: { show: false, drag: { x: false, y: false, setScale: false } },
    // A solid line's marker is filled with its colour; a dashed line's is an outlined square.
    legend: { live: false, markers: { width: LINE_WIDTH, fill: (_plot, index) => (styleOf(spec, index)?.dash ? 'transparent' : (styleOf(spec, index)?.colour ?? 'transparent')) } },
  };
}

/** The style of uPlot's series `index` (0 is the time). */
function styleOf(spec: ChartSpec, index: number): SeriesStyle | undefined {
  return index > 0 ? spec.series[index - 1] : undefined;
}
