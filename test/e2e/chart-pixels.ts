/**
 * What the console's pipeline charts drew, read from PNG screenshots of their canvases:
 * how many pixels of each line's colour there are, and a wait until every line shows.
 */
import type { Page } from 'playwright-core';
import type { SeriesStyle } from '../../web/console/pipeline-palette.js';
import { decodePng, pixelsNear, rgb, type Pixels } from './png-pixels.js';

export type ChartName = 'rates' | 'latency';

/** Pixels of its colour that show a line was drawn (a few seconds of a line are dozens). */
export const DRAWN = 12;

export async function chartPixels(page: Page, chart: ChartName): Promise<Pixels> {
  return decodePng(await page.locator(`[data-chart="${chart}"] canvas`).screenshot());
}

/** Pixels of each line's colour, by its label. */
export function colourCounts(pixels: Pixels, styles: readonly SeriesStyle[]): Record<string, number> {
  return Object.fromEntries(styles.map((style) => [style.label, pixelsNear(pixels, rgb(style.colour))]));
}

/** The lines with too few pixels of their colour to have been drawn, with their counts (`Gone: 3`). */
export function faint(counts: Record<string, number>): string[] {
  return Object.entries(counts)
    .filter(([, count]) => count < DRAWN)
    .map(([label, count]) => `${label}: ${count}`);
}

/** Screenshots a chart until each of these lines shows (or `patienceMs` has passed), and answers its last counts. */
export async function untilDrawn(page: Page, chart: ChartName, styles: readonly SeriesStyle[], patienceMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const counts = colourCounts(await chartPixels(page, chart), styles);
    if (faint(counts).length === 0 || Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
