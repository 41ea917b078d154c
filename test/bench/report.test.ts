import { describe, expect, it } from 'vitest';
import { chartSvg, escapeXml, logDomain, reportChart } from '../../bench/chart-svg.js';
import { goalsOf } from '../../bench/report.js';
import { mdTable, summaryMarkdown } from '../../bench/summary-md.js';
import { result, sampleReport, SETTINGS } from './sample-report.js';

const rows = [
  { subscribers: 100, pipeline: result('pipeline', 100, 80, 900), raw: result('raw', 100, 4, 30_000) },
  { subscribers: 1000, pipeline: result('pipeline', 1000, 120, 1200), raw: result('raw', 1000, 6, 10_000) },
];

describe('the goals', () => {
  it('reads p99 at 1,000 subscribers and 10 publishes/s, the lowest share of the raw rate, and loss', () => {
    const goals = goalsOf({ endToEnd: sampleReport(rows).endToEnd, settings: SETTINGS });
    expect(goals.map((goal) => [goal.measured, goal.met])).toEqual([
      ['120 ms', true],
      ['lowest 3.0%', false],
      ['0 and 0', true],
    ]);
  });

  it('fails loss as soon as one phase lost or repeated a delivery, and skips what was not measured', () => {
    const lossy = [{ subscribers: 100, pipeline: result('pipeline', 100, 80, 900, { lost: 2, duplicates: 1 }), raw: null }];
    const goals = goalsOf({ endToEnd: sampleReport(lossy).endToEnd, settings: { ...SETTINGS, rate: 5 } });
    expect(goals).toEqual([{ name: 'loss and duplicates, every phase', target: '0 and 0', measured: '4 and 2', met: false }]);
  });
});

describe('the markdown summary', () => {
  it('makes tables with escaped cells and aligned columns', () => {
    expect(mdTable(['a', 'b'], [['1', 'x|y']], [0])).toEqual(['| a | b |', '| ---: | --- |', '| 1 | x\\|y |']);
  });

  it('says how, where and on what it measured, the goals, each target per size and the ratios', () => {
    const text = summaryMarkdown(sampleReport(rows), 'sample.svg');
    expect(text).toContain('`roomcast bench --name sample`');
    expect(text).toContain('2 CPUs (Test CPU), 8 GB, Node.js v20.0.0');
    expect(text).toContain('load average 0.5 to 2 (mean 1)');
    expect(text).toMatch(/\| p99 publish-to-receive, 1,000 subscribers \(ws\), 10 publishes\/s \| under 150 ms \| 120 ms \| yes \|/);
    expect(text).toMatch(/\| 1,000 \| ws \| pipeline \| 10 \| 60 \| 108 \| 120 \| 180 \| 1,000 \| 1,200 \| 1,200 \| 0 \/ 0 \| cloud 900 \(heap 40\), dynamodb 220 \|/);
    expect(text).toMatch(/\| 1,000 \| ws \| raw \| 10 \|.* raw server 70 \|/);
    expect(text).toMatch(/\| 1,000 \| ws \| 12\.0% \| 20x \| 1,000 \|/);
    expect(text).toContain('| 1,000 | ws | pipeline | 1.250 | 0.050 | 1.300 |');
    expect(text).not.toContain('## Subscribe storm');
    expect(text).toContain('![chart](sample.svg)');
  });
});

describe('the chart', () => {
  it('spans whole powers of ten', () => {
    expect(logDomain([4, 1200])).toEqual([1, 10_000]);
    expect(logDomain([100])).toEqual([10, 100]);
    expect(logDomain([1041, 45_090])).toEqual([100, 100_000]);
    expect(logDomain([0])).toEqual([1, 10]);
  });

  it('is one SVG document with a bar per value, and n/a for a missing one', () => {
    const svg = chartSvg([{ title: 'T <1>', groups: [{ label: 'a', bars: [{ series: 'pipeline', value: 50 }, { series: 'raw', value: null }] }] }], 'caption & more');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<title>/g)).toHaveLength(1);
    expect(svg).toContain('>n/a<');
    expect(svg).toContain('T &lt;1&gt;');
    expect(svg).toContain('caption &amp; more');
    expect(escapeXml(`"'`)).toBe('&quot;&apos;');
  });

  it('draws the report: four latency bars and two rate bars per size', () => {
    const svg = reportChart(sampleReport(rows));
    expect(svg.match(/<title>/g)).toHaveLength(2 * (4 + 2));
    expect(svg).toContain('<title>1,000 (ws), pipeline p99: 120</title>');
    expect(svg).toContain('<title>100 (ws), raw: 30,000</title>');
  });
});
