// Stryker on a few core modules whose tests are fast and targeted (`npm run mutation:stryker`; not part of npm test).
// The hand-written mutants of the workflows, emulator, CLI and handlers are in mutation/mutants.yaml (npm run
// mutation). Method and figures: docs/mutation.md.
// Options: https://stryker-mutator.io/docs/stryker-js/configuration
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: [
    'src/vpc/errors.ts',
    'src/rpc/errors.ts',
    'src/rpc/retry.ts',
    'src/vpc/idempotent.ts',
    'src/vpc/poll-schedule.ts',
    'src/flow/retry.ts',
    'src/emulator/transitions.ts',
  ],
  // Each mutant runs only the tests that reached it.
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/stryker.html' },
  jsonReporter: { fileName: 'reports/mutation/stryker.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Report only: the target (every mutant killed) is tracked in docs/mutation.md, not enforced here yet.
  thresholds: { high: 90, low: 75, break: null },
};
