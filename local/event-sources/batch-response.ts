/**
 * Reads a function's answer under `FunctionResponseTypes: [ReportBatchItemFailures]`, with
 * Lambda's rules: no answer, `{}`, `batchItemFailures: null` or `[]` mean the whole batch
 * succeeded; an answer that is not an object, a `batchItemFailures` that is not a list, or an
 * item whose `itemIdentifier` is missing, empty or not in the batch fails the whole batch.
 */
export type BatchResponse =
  | { kind: 'success' }
  | { kind: 'partial'; failed: ReadonlySet<string> }
  | { kind: 'invalid'; reason: string };

export function readBatchResponse(response: unknown, identifiers: ReadonlySet<string>): BatchResponse {
  if (response === null || response === undefined) return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response)) {
    return { kind: 'invalid', reason: `the response is not an object: ${describe(response)}` };
  }
  const items: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (items === null || items === undefined) return { kind: 'success' };
  if (!Array.isArray(items)) return { kind: 'invalid', reason: `batchItemFailures is not a list: ${describe(items)}` };
  const failed = new Set<string>();
  for (const item of items) {
    const id: unknown = typeof item === 'object' && item !== null ? (item as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '') return { kind: 'invalid', reason: `a batch item failure has no itemIdentifier: ${describe(item)}` };
    if (!identifiers.has(id)) return { kind: 'invalid', reason: `itemIdentifier ${id} is not in the batch` };
    failed.add(id);
  }
  return failed.size === 0 ? { kind: 'success' } : { kind: 'partial', failed };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
