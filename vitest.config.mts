import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      // `server-only` throws outside a React Server environment; tests run lib/ code directly in Node.
      'server-only': path.join(root, 'lib/testing/server-only-noop.ts'),
    },
  },
  test: {
    include: ['lib/**/*.test.ts', 'app/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Every server a test starts listens on 127.0.0.1, and nothing may probe the ECS metadata address.
    env: { ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' },
  },
});
