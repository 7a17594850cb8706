// packages/redis's own vitest config plus stryker.redis.setup.mjs; used only by stryker.redis.config.mjs.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './packages/redis/vitest.config.mjs';

export default mergeConfig(base, defineConfig({ test: { setupFiles: ['./stryker.redis.setup.mjs'] } }));
