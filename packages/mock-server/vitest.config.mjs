import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.mjs';

// Starting the sandbox compiles a validator for each of the 276 operations: under 1 s alone, but `npm test` runs
// every package's suite at once on small CI machines, so the start-up hooks get a minute.
export default defineConfig({ test: { ...sharedTestConfig, hookTimeout: 60_000 } });
