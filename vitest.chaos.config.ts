import { defineConfig } from 'vitest/config';

// `npm run chaos`: the kill-and-resume chaos test alone (test/chaos), kept out of `npm test` for its real waits.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.chaos.ts'],
    pool: 'forks',
    maxWorkers: 1,
  },
});
