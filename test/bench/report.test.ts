import { describe, expect, it } from 'vitest';
import { chartSvg, escapeXml, logDomain, reportChart } from '../../bench/chart-svg.js';
import { CONFLATED_ROOM_PATTERN } from '../../bench/conflation.js';
import { goalsOf } from '../../bench/report.js';
import { mdTable, summaryMarkdown } from '../../bench/summary-md.js';
import { withConflatedRooms } from '../../bench/targets.js';
import { isConflated } from '../../layers/core/src/model/conflation.js';
import { conflationResult, result, sampleReport, SETTINGS } from './sample-report.js';

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

  it('fails conflation as soon as one subscriber of the conflated room does not end on its last message', () => {
    const name = 'conflated room under a 100 ms post delay: subscribers not ending on the last message';
    expect(goalsOf({ endToEnd: [], settings: SETTINGS, conflation: conflationResult() })).toEqual([{ name, target: '0', measured: '0 of 200', met: true }]);
    expect(goalsOf({ endToEnd: [], settings: SETTINGS, conflation: conflationResult({ notOnLast: 3 }) })).toEqual([{ name, target: '0', measured: '3 of 200', met: false }]);
    expect(goalsOf({ endToEnd: [], settings: SETTINGS, conflation: { ...conflationResult(), postDelayInjected: false } })[0]!.name).toBe('conflated room: subscribers not ending on the last message');
  });
});

describe('the conflation phase', () => {
  it("is conflated by the benchmark's own local clouds, beside any ConflateRooms given, and only its conflated room", () => {
    expect(withConflatedRooms()).toEqual({ ConflateRooms: CONFLATED_ROOM_PATTERN });
    expect(withConflatedRooms({ DeliveryShards: '2', ConflateRooms: 'scores:*' })).toEqual({ DeliveryShards: '2', ConflateRooms: `scores:*,${CONFLATED_ROOM_PATTERN}` });
    const patterns = withConflatedRooms().ConflateRooms!.split(',');
    expect(isConflated(patterns, 'bench:a1b2c3:conflated')).toBe(true);
    for (const room of ['bench:a1b2c3:plain', 'bench:a1b2c3:ws100:all', 'bench:a1b2c3:ws100:3', 'bench:a1b2c3:storm']) expect(isConflated(patterns, room)).toBe(false);
  });

  it('has its section in the summary: each room, the posts skipped, the lag ratio and what the target did not do', () => {
    const text = summaryMarkdown(sampleReport([], conflationResult()), 'sample.svg');
    expect(text).toContain('## Conflation');
    expect(text).toContain('every post to a socket delayed 100 ms');
    expect(text).toContain('| conflated | yes | 100 | 100 | 200 | 400 | 800 | 20,000 | 15,000 | 75.0% | 25.5 (20 to 31) | 0 | 800 |');
    expect(text).toContain('| plain | no | 100 | 2,000 | 4,000 | 8,000 | 16,000 | 20,000 | 0 | 0.0% | 100 (100 to 100) | 0 | 16,000 |');
    expect(text).toContain('Lag p99, conflated / plain: 0.05x. Subscribers whose last frame was an older message than one they had');
    expect(text).toContain('docs/protocol.md): 0 (conflated), 0 (plain).');
    expect(text).toMatch(/\| conflated room under a 100 ms post delay: subscribers not ending on the last message \| 0 \| 0 of 200 \| yes \|/);
    const elsewhere = summaryMarkdown(sampleReport([], { ...conflationResult(), postDelayInjected: false, notes: ['the target takes no post-delay fault: delivery was not slowed'] }), 'sample.svg');
    expect(elsewhere).toContain('no post delay (the target takes no faults)');
    expect(elsewhere).toContain('Note: the target takes no post-delay fault: delivery was not slowed.');
    expect(summaryMarkdown(sampleReport(rows), 'sample.svg')).not.toContain('## Conflation');
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
