import { defineConfig } from 'vitest/config';

// The suites Stryker runs (`npm run mutation:stryker`): those that import the mutated modules in this process. Suites
// that load the built bundles or spawn the CLI are left out: they run the code as it was bundled, so the mutant Stryker
// switches on here would never reach them. No global setup: none of these suites needs dist/.
export default defineConfig({
  test: {
    include: [
      'test/vpc/**/*.test.ts',
      'test/flow/**/*.test.ts',
      'test/fc/**/*.test.ts',
      'test/emulator/**/*.test.ts',
      'test/functions/handlers.test.ts',
      'test/functions/properties.test.ts',
    ],
    exclude: ['test/emulator/cloudflow-v3.test.ts', 'test/emulator/fc-invocations.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
