import { defineConfig } from 'vitest/config';

// One project per package plus `e2e`: tests that start real daemons and run the built bin/vibe (after a build).
// CI sets VIBE_TEST_REPORT to a file path; .ci/run sums the JSON report into its last line.
const report = process.env.VIBE_TEST_REPORT;

export default defineConfig({
  test: {
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      { test: { name: 'protocol', include: ['packages/protocol/src/**/*.test.ts'] } },
      { test: { name: 'daemon', include: ['packages/daemon/src/**/*.test.ts'] } },
      { test: { name: 'cli-unit', include: ['packages/cli/src/**/*.test.{ts,tsx}'] } },
      { test: { name: 'relay-server', include: ['packages/relay-server/src/**/*.test.ts', 'packages/relay-server/web/src/**/*.test.ts'] } },
      {
        test: {
          name: 'e2e',
          include: ['packages/*/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
