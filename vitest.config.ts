import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'hub/**/*.test.ts',
      'hardware/**/*.test.ts',
      'main/**/*.test.ts',
      'preload/**/*.test.ts',
      'server/**/*.test.ts',
      'http/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'tests/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
