// vitest setup file, used only by stryker.redis.config.mjs: hands the active mutant to the worker processes that the
// multi-process Redis tests spawn. Stryker sets the active mutant in the test runner's memory only; the worker
// processes inherit process.env, and Stryker's instrumented code reads __STRYKER_ACTIVE_MUTANT__ from it. Set for
// the duration of each test only, so it never switches a mutant on during Stryker's coverage (dry) run.
import { afterEach, beforeEach } from 'vitest';

const ENV = '__STRYKER_ACTIVE_MUTANT__';

beforeEach(() => {
  const active = globalThis.__stryker__?.activeMutant;
  if (active === undefined || active === null) delete process.env[ENV];
  else process.env[ENV] = String(active);
});

afterEach(() => {
  delete process.env[ENV];
});
