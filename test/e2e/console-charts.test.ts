/**
 * The pipeline panel's charts in headless Chromium, checked by screenshot: the console
 * server runs on a metrics registry this file fills, so that each stage has its own rate.
 * Before any reading the charts draw their axes and no line; once the counts grow, each
 * stage's line and the latency's p50 and p99 are drawn in their colours; the charts follow
 * the panel down to 360 px wide. Pixels are read from PNG screenshots of each chart's canvas.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../local/metrics/index.js';
import { startConsole, type ConsoleServer } from '../../local/console/index.js';
import type { CloudInfo } from '../../local/cloud/options.js';
import type { FaultTargets } from '../../local/cloud/faults.js';
import { LATENCY_STYLES, RATE_STYLES } from '../../web/console/pipeline-palette.js';
import { CHARTED_LATENCY, RATE_STAGES } from '../../web/console/pipeline-series.js';
import { CHROMIUM, launchChromium, NO_CHROMIUM, type HeadlessChromium } from '../support/browser.js';
import { chartPixels, colourCounts, faint, untilDrawn } from './chart-pixels.js';
import { darkPixels } from './png-pixels.js';
import { PATIENCE_MS } from './support.js';

const PAGE = new URL('../../web/index.html', import.meta.url).pathname;
/** Pixels of axis labels and ticks: the axes are there. */
const AXES = 100;

const RATES = RATE_STAGES.map((stage) => RATE_STYLES[stage]);
const title = CHROMIUM ? 'the pipeline charts in headless Chromium' : `the pipeline charts (${NO_CHROMIUM})`;

const noFaults: FaultTargets = {
  gateway: { set: () => undefined, clear: () => undefined, current: () => ({}) },
  functions: { failNext: () => undefined, clear: () => undefined },
  functionId: () => undefined,
};

describe.skipIf(!CHROMIUM)(title, () => {
  const registry = new MetricsRegistry();
  /** Until set, `/_roomcast/metrics` answers 404: the page has nothing to chart. */
  let serveMetrics = false;
  let server: ConsoleServer | undefined;
  let browser: HeadlessChromium | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    let url = '';
    // The page connects to the WebSocket URL of the info; the console server answers no
    // WebSocket, so it keeps reconnecting, which the charts do not mind.
    const info = () =>
      ({ stackName: 'charts', region: 'us-east-1', wsUrl: url.replace(/^http/, 'ws'), token: '', tokenExpiresAt: 0, outputs: {}, application: { roomcast: true, tables: [], queues: [] } }) as unknown as CloudInfo;
    server = await startConsole({
      host: '127.0.0.1',
      port: 0,
      page: PAGE,
      state: () => ({ info: info(), faults: noFaults, ...(serveMetrics ? { metrics: registry } : {}) }),
      log: () => undefined,
    });
    url = server.url;
    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    ({ page } = browser);
    page.setDefaultTimeout(PATIENCE_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws the axes and no line while it has no reading', async () => {
    await page.goto(server!.url);
    await page.locator('#pipeline-status', { hasText: /^Cannot read the metrics/ }).waitFor();
    expect(await page.locator('[data-chart="rates"] .u-legend th').allTextContents()).toEqual(RATE_STAGES.map(String));
    expect(await page.locator('[data-chart="latency"] .u-legend th').allTextContents()).toEqual(['p50', 'p99']);
    for (const [chart, styles] of [['rates', RATES], ['latency', LATENCY_STYLES]] as const) {
      const pixels = await chartPixels(page, chart);
      expect(darkPixels(pixels), `${chart}: axes`).toBeGreaterThanOrEqual(AXES);
      expect(colourCounts(pixels, styles), `${chart}: no line`).toEqual(Object.fromEntries(styles.map((style) => [style.label, 0])));
    }
  });

  it('draws a line per stage and the latency p50 and p99, each in its colour, as the counts grow', async () => {
    serveMetrics = true;
    await page.locator('#pipeline-status', { hasText: /^Counts since the local cloud started/ }).waitFor();
    // For about four seconds, stage i counts (6 - i) x 3 every 250 ms: six rates, apart from each
    // other, the highest drawn first so that the lines drawn over it leave its peak in sight.
    // The latencies: 10 to 100 ms, so p50 (50) and p99 (100) are apart too.
    for (let tick = 0; tick < 16; tick += 1) {
      registry.record(RATE_STAGES.map((name, index) => ({ name, unit: 'Count', values: [(RATE_STAGES.length - index) * 3] })));
      registry.record([{ name: CHARTED_LATENCY, unit: 'Milliseconds', values: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] }]);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(faint(await untilDrawn(page, 'rates', RATES, PATIENCE_MS))).toEqual([]);
    expect(faint(await untilDrawn(page, 'latency', LATENCY_STYLES, PATIENCE_MS))).toEqual([]);
    expect(darkPixels(await chartPixels(page, 'rates'))).toBeGreaterThanOrEqual(AXES);
  });

  it('follows the panel down to 360 px wide, still drawn', async () => {
    const before = await page.locator('[data-chart="rates"] canvas').evaluate((node) => node.getBoundingClientRect().width);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.waitForFunction(() => {
      const chart = document.querySelector('[data-chart="rates"] canvas');
      return chart !== null && chart.getBoundingClientRect().width <= 340;
    });
    expect(before).toBeGreaterThan(340);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(faint(await untilDrawn(page, 'rates', RATES, PATIENCE_MS))).toEqual([]);
    expect(faint(await untilDrawn(page, 'latency', LATENCY_STYLES, PATIENCE_MS))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
