import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.mjs';

export default defineConfig({ test: { ...sharedTestConfig, testTimeout: 120_000, hookTimeout: 60_000 } });
