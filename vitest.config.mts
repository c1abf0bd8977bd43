import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'soak/**/*.test.ts'],
    // Two cores on the build machines; the pty tests each spawn a simulator process.
    maxWorkers: 2,
    // Bounds, not waits: every test waits for an event, never for time. The tests that start real
    // processes (headless, the simulator on a pty, socat) take a few seconds alone and several
    // times that on a starved two-core machine; a slow machine must slow them, not fail them.
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
