/**
 * Reads CloudWatch Embedded Metric Format lines, as the functions print them (Powertools
 * Metrics): a JSON object whose `_aws.CloudWatchMetrics[].Metrics` names the metrics and
 * whose top-level keys hold their values (a number or a list of numbers).
 */
export interface MetricSample {
  name: string;
  unit: string;
  values: number[];
}

interface EmfDocument {
  _aws?: { CloudWatchMetrics?: Array<{ Metrics?: Array<{ Name?: unknown; Unit?: unknown }> }> };
  [key: string]: unknown;
}

/** The samples of one EMF line, or undefined for any other line. */
export function parseEmf(line: string): MetricSample[] | undefined {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"_aws"')) return undefined;
  let document: EmfDocument;
  try {
    document = JSON.parse(text) as EmfDocument;
  } catch {
    return undefined;
  }
  const directives = document._aws?.CloudWatchMetrics;
  if (!Array.isArray(directives)) return undefined;
  const samples: MetricSample[] = [];
  for (const directive of directives) {
    for (const metric of directive.Metrics ?? []) {
      if (typeof metric.Name !== 'string') continue;
      const raw = document[metric.Name];
      const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
      if (values.length > 0) samples.push({ name: metric.Name, unit: typeof metric.Unit === 'string' ? metric.Unit : 'None', values });
    }
  }
  return samples;
}
