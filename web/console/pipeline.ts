/**
 * The pipeline panel: the functions' metrics as the local cloud counts them
 * (`GET /_roomcast/metrics`), read every second while the page is visible, drawn as
 * charts of the last minutes and written into tables.
 */
import type { MetricsSnapshot } from '@roomcast/local';
import { byId } from './dom.js';
import { pipelineCharts } from './pipeline-charts.js';
import { pipelineTables } from './pipeline-tables.js';
import { pollWhileVisible } from './visible-poll.js';

const METRICS_PATH = '/_roomcast/metrics';
const INTERVAL_MS = 1000;
const LIVE = 'Counts since the local cloud started, read every second while this page is visible.';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isSnapshot(value: unknown): value is MetricsSnapshot {
  return isRecord(value) && isRecord(value['counts']) && isRecord(value['latencies']) && isRecord(value['delivery']) && typeof value['delivery']['unaccounted'] === 'number';
}

async function readSnapshot(): Promise<MetricsSnapshot> {
  const response = await fetch(METRICS_PATH, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${METRICS_PATH} answered ${response.status}`);
  const body: unknown = await response.json();
  if (!isSnapshot(body)) throw new Error(`${METRICS_PATH} answered something else than a metrics snapshot`);
  return body;
}

export function pipelinePanel(): void {
  const status = byId('pipeline-status', HTMLElement);
  const charts = pipelineCharts();
  const tables = pipelineTables();
  byId('pipeline', HTMLElement).replaceChildren(charts.element, tables.element);
  const say = (text: string): void => {
    if (status.textContent !== text) status.textContent = text;
  };
  pollWhileVisible(async () => {
    let snapshot: MetricsSnapshot | undefined;
    try {
      snapshot = await readSnapshot();
    } catch (error) {
      say(`Cannot read the metrics (${error instanceof Error ? error.message : String(error)}); trying again every second.`);
    }
    // Without a reading the charts still move on, so that a gap shows as one.
    charts.show(snapshot, Date.now());
    if (!snapshot) return;
    tables.show(snapshot);
    say(LIVE);
  }, INTERVAL_MS);
}
