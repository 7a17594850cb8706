// vitest setup file, used only by stryker.redis.config.mjs, for the tests that run worker processes
// (src/test-support/worker.mjs, which imports the package's built dist; the config compiles the instrumented sources
// into the sandbox's dist). Works for workers spawned by a test and for long-lived ones spawned in a `beforeAll`:
// - the active mutant: Stryker sets it in the test runner's memory only; the workers inherit process.env, and
//   Stryker's instrumented code reads __STRYKER_ACTIVE_MUTANT__ from it. Set from this file's `beforeAll` (which runs
//   after Stryker's own, before the test file's) until its `afterAll`; never during the coverage (dry) run.
// - coverage: Stryker only sees coverage recorded in the test process. stryker.redis.worker-hook.mjs (preloaded
//   into every worker through NODE_OPTIONS) writes each worker's coverage to a file when it exits. A worker that
//   exited during a test counts for that test; one that exits with the file (stopped in the test file's `afterAll`,
//   which vitest runs before this file's) counts for every test of the file, as any of them may have used it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

const ACTIVE = '__STRYKER_ACTIVE_MUTANT__';
const DIR = 'STRYKER_REDIS_COVERAGE_DIR';
const hook = pathToFileURL(path.resolve('stryker.redis.worker-hook.mjs')).href;
let dir;
const nodeOptions = process.env.NODE_OPTIONS;
const testIds = new Set();

function setEnv() {
  if (dir === undefined || !existsSync(dir)) dir = mkdtempSync(path.join(tmpdir(), 'stryker-redis-coverage-'));
  const active = globalThis.__stryker__?.activeMutant;
  if (active === undefined || active === null) delete process.env[ACTIVE];
  else process.env[ACTIVE] = String(active);
  process.env[DIR] = dir;
  process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --import ${hook}`.trim();
}

function clearEnv() {
  delete process.env[ACTIVE];
  delete process.env[DIR];
  if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = nodeOptions;
}

/** Adds the coverage of the workers that have exited to `ids` (coverage run only), and removes their files. */
function collect(ids) {
  const ns = globalThis.__stryker__;
  if (dir === undefined || !existsSync(dir)) return;
  for (const file of readdirSync(dir)) {
    const full = path.join(dir, file);
    let worker;
    try {
      worker = JSON.parse(readFileSync(full, 'utf8'));
    } catch {
      worker = undefined;
    }
    rmSync(full, { force: true });
    if (!worker || !ns?.mutantCoverage || ns.activeMutant !== undefined) continue;
    for (const id of ids) {
      const into = (ns.mutantCoverage.perTest[id] ??= {});
      for (const part of [worker.static, ...Object.values(worker.perTest ?? {})]) {
        for (const [mutant, hits] of Object.entries(part ?? {})) into[mutant] = (into[mutant] ?? 0) + hits;
      }
    }
  }
}

beforeAll(setEnv);
beforeEach(setEnv);

afterEach(() => {
  const id = globalThis.__stryker__?.currentTestId;
  if (id === undefined) return;
  testIds.add(id);
  collect([id]);
});

afterAll(() => {
  collect([...testIds]);
  testIds.clear();
  clearEnv();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
