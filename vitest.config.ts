import { defineConfig } from 'vitest/config';

// One project per package; `slow` projects start real daemons and processes and run after a build.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'protocol', include: ['packages/protocol/src/**/*.test.ts'] } },
      { test: { name: 'daemon', include: ['packages/daemon/src/**/*.test.ts'] } },
      { test: { name: 'cli-unit', include: ['packages/cli/src/**/*.test.{ts,tsx}'] } },
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
