import { randomBytes } from 'node:crypto';

/**
 * A stack name unique to this process and run, short enough for queue names
 * (`<stack>-<LogicalId>` must stay within SQS's 80 characters). Under vitest, its worker's
 * id is in the name, so the test files of one run never share a table or a queue.
 */
export function uniqueStackName(prefix = 'rc'): string {
  const worker = process.env.VITEST_POOL_ID ?? '0';
  return `${prefix}${worker}-${randomBytes(4).toString('hex')}`;
}
