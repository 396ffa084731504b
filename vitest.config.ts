import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // vitest's default is one worker per core but one: a single worker on a 2-core machine. Much of the suite waits
    // (child processes, HTTP, the real-clock runs), so a second worker keeps both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The JSON report feeds the one-line summary that .ci/run prints.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
