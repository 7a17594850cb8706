// vitest setup file, used only by stryker.redis.config.mjs, for the tests that run worker processes
// (src/test-support/worker.mjs, which imports the package's built dist; the config compiles the instrumented sources
// into the sandbox's dist):
// - the active mutant: Stryker sets it in the test runner's memory only; the workers inherit process.env, and
//   Stryker's instrumented code reads __STRYKER_ACTIVE_MUTANT__ from it;
// - coverage: Stryker only sees coverage recorded in the test process. stryker.redis.worker-hook.mjs (preloaded
//   into every worker through NODE_OPTIONS) writes each worker's coverage to a file when it exits, and it is added
//   here to the coverage of the test that spawned it, so perTest coverage selects the multi-process tests too.
// Everything is set for the duration of one test only, and never switches a mutant on during the coverage run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach } from 'vitest';

const ACTIVE = '__STRYKER_ACTIVE_MUTANT__';
const DIR = 'STRYKER_REDIS_COVERAGE_DIR';
const hook = pathToFileURL(path.resolve('stryker.redis.worker-hook.mjs')).href;
const dir = mkdtempSync(path.join(tmpdir(), 'stryker-redis-coverage-'));
const nodeOptions = process.env.NODE_OPTIONS;

beforeEach(() => {
  const active = globalThis.__stryker__?.activeMutant;
  if (active === undefined || active === null) delete process.env[ACTIVE];
  else process.env[ACTIVE] = String(active);
  process.env[DIR] = dir;
  process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --import ${hook}`.trim();
});

afterEach(() => {
  delete process.env[ACTIVE];
  delete process.env[DIR];
  if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = nodeOptions;
  const ns = globalThis.__stryker__;
  for (const file of readdirSync(dir)) {
    const full = path.join(dir, file);
    let worker;
    try {
      worker = JSON.parse(readFileSync(full, 'utf8'));
    } catch {
      worker = undefined;
    }
    rmSync(full, { force: true });
    // coverage run only (no active mutant), attributed to the test that is ending
    const testId = ns?.currentTestId;
    if (!worker || !ns?.mutantCoverage || ns.activeMutant !== undefined || testId === undefined) continue;
    const into = (ns.mutantCoverage.perTest[testId] ??= {});
    for (const part of [worker.static, ...Object.values(worker.perTest ?? {})]) {
      for (const [id, hits] of Object.entries(part ?? {})) into[id] = (into[id] ?? 0) + hits;
    }
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
