import { randomBytes } from 'node:crypto';

export { createQueues, createTables, type CreatedQueue, type CreatedTable } from '../../local/services/index.js';

/**
 * A stack name unique to this test file and run, short enough for queue names
 * (`<stack>-<LogicalId>` must stay within SQS's 80 characters).
 */
export function uniqueStackName(prefix = 'rc'): string {
  const worker = process.env.VITEST_POOL_ID ?? '0';
  return `${prefix}${worker}-${randomBytes(4).toString('hex')}`;
}
