import { configDefaults, defineConfig } from 'vitest/config';

const SERVICE_TESTS = ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/reliability/load-held.test.ts'];

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    teardownTimeout: 15_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...configDefaults.exclude, '.aws-sam/**', ...SERVICE_TESTS],
        },
      },
      {
        // Tests against real DynamoDB Local and the SQS emulator, started once per run by
        // the global setup (only when at least one of these files runs).
        extends: true,
        test: {
          name: 'integration',
          include: SERVICE_TESTS,
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
