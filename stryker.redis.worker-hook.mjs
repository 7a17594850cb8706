// Preloaded (NODE_OPTIONS=--import) into the worker processes of the multi-process Redis tests, during Stryker runs
// only (stryker.redis.setup.mjs sets it): when the worker exits, writes the mutant coverage its instrumented code
// recorded, so that Stryker learns which mutants those tests reach. Not used outside mutation testing.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.STRYKER_REDIS_COVERAGE_DIR;
if (dir) {
  process.on('exit', () => {
    const coverage = globalThis.__stryker__?.mutantCoverage;
    if (!coverage) return;
    try {
      writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(coverage));
    } catch {
      // coverage is an optimisation; a worker must never fail because of it
    }
  });
}
