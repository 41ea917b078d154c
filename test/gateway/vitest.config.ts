import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The gateway tests need no DynamoDB or SQS: `npx vitest run --config test/gateway/vitest.config.ts`. */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/gateway/**/*.test.ts'],
    testTimeout: 15_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
