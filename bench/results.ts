/** Writes a run's files: `<name>.json` (everything measured), `<name>.md` (the summary), `<name>.svg` (the chart). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reportChart } from './chart-svg.js';
import type { BenchReport } from './report.js';
import { summaryMarkdown } from './summary-md.js';

export const RESULTS_DIR = new URL('./results/', import.meta.url);

export async function writeResults(report: BenchReport, dir: string): Promise<{ json: string; markdown: string; chart: string }> {
  await mkdir(dir, { recursive: true });
  const files = { json: join(dir, `${report.name}.json`), markdown: join(dir, `${report.name}.md`), chart: join(dir, `${report.name}.svg`) };
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.markdown, summaryMarkdown(report, `${report.name}.svg`));
  await writeFile(files.chart, reportChart(report));
  return files;
}
