// `npm test` ends with one "tests: N passed, N failed" line summed over every suite (scripts/test-summary.mjs). Here
// it reads a scratch checkout: a turbo run summary (as `turbo run … --summarize` writes it) and each package's vitest
// report. Suites turbo took from its cache count like suites it ran; a report of a package that is gone is not read;
// a suite that did not run is named and counted as a failure; the exit code of the steps is kept.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './index.mjs';

const script = path.join(REPO_ROOT, 'scripts', 'test-summary.mjs');
const scratches: string[] = [];
afterEach(() => {
  for (const dir of scratches.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function checkout() {
  const root = mkdtempSync(path.join(tmpdir(), 'test-summary-'));
  scratches.push(root);
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, workspaces: ['packages/*'] }));
  return root;
}

function workspace(root: string, name: string, report?: { passed: number; failed: number; skipped?: number }) {
  const dir = path.join(root, 'packages', name);
  mkdirSync(path.join(dir, 'test-results'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, scripts: { test: 'vitest run' } }));
  if (report) writeReport(root, `packages/${name}`, report);
}

function writeReport(root: string, dir: string, { passed, failed, skipped = 0 }: { passed: number; failed: number; skipped?: number }) {
  mkdirSync(path.join(root, dir, 'test-results'), { recursive: true });
  const report = {
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: skipped,
    numTodoTests: 0,
    numFailedTestSuites: failed ? 1 : 0,
  };
  writeFileSync(path.join(root, dir, 'test-results', 'vitest.json'), JSON.stringify(report));
}

const run = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], { env: { ...process.env, TEST_SUMMARY_ROOT: root }, encoding: 'utf8' });

/** A turbo run summary with these `test` tasks (HIT = restored from the cache, MISS = ran, undefined exit = never ran). */
function turboRun(root: string, tasks: { dir: string; status: 'HIT' | 'MISS'; exitCode?: number; startTime?: number }[]) {
  mkdirSync(path.join(root, '.turbo', 'runs'), { recursive: true });
  const now = Date.now();
  const summary = {
    execution: { startTime: now, exitCode: tasks.some((t) => t.exitCode) ? 1 : 0 },
    tasks: [
      { task: 'build', directory: 'packages/a', command: 'tsc', cache: { status: 'HIT' }, execution: { exitCode: 0, startTime: now } },
      ...tasks.map((t) => ({
        task: 'test',
        directory: t.dir,
        command: 'vitest run',
        cache: { status: t.status },
        ...(t.exitCode === undefined ? {} : { execution: { exitCode: t.exitCode, startTime: t.startTime ?? now } }),
      })),
      { task: 'test', directory: 'packages/no-tests', command: '<NONEXISTENT>', cache: { status: 'MISS' } },
    ],
  };
  writeFileSync(path.join(root, '.turbo', 'runs', 'run.json'), JSON.stringify(summary));
}

describe('the closing count of npm test', () => {
  it('sums cached and fresh suites of this run, reads no report of a deleted package, and ends with the total', () => {
    const root = checkout();
    expect(run(root, '--start').status).toBe(0);
    workspace(root, 'a', { passed: 10, failed: 0, skipped: 1 });
    workspace(root, 'b', { passed: 5, failed: 0 });
    // a package deleted since an earlier run: its folder and old report linger (untracked), it is no workspace
    writeReport(root, 'packages/gone', { passed: 100, failed: 3 });
    // `a` was restored from turbo's cache: its report is as old as the run that made it
    const old = new Date(Date.now() - 86_400_000);
    utimesSync(path.join(root, 'packages/a/test-results/vitest.json'), old, old);
    turboRun(root, [
      { dir: 'packages/a', status: 'HIT', exitCode: 0 },
      { dir: 'packages/b', status: 'MISS', exitCode: 0, startTime: Date.now() - 5000 },
    ]);
    const summary = run(root, '--status', '0');
    expect(summary.stdout.trim().split('\n').at(-1)).toBe('tests: 15 passed, 0 failed, 1 skipped');
    expect(summary.stdout).not.toContain('gone');
    expect(summary.status).toBe(0);
  });

  it('names a suite that did not run or left only a stale report, counts each as a failure and keeps the exit code', () => {
    const root = checkout();
    run(root, '--start');
    workspace(root, 'a', { passed: 10, failed: 0 });
    workspace(root, 'b', { passed: 7, failed: 0 });
    workspace(root, 'c');
    // `b` ran in this turbo run but its report is from yesterday (vitest crashed before writing one)
    const old = new Date(Date.now() - 86_400_000);
    utimesSync(path.join(root, 'packages/b/test-results/vitest.json'), old, old);
    turboRun(root, [
      { dir: 'packages/a', status: 'MISS', exitCode: 0 },
      { dir: 'packages/b', status: 'MISS', exitCode: 1 },
      { dir: 'packages/c', status: 'MISS' }, // turbo stopped before it
    ]);
    const summary = run(root, '--status', '2');
    expect(summary.stdout).toMatch(/packages\/b: left a stale report/);
    expect(summary.stdout).toMatch(/packages\/c: did not run/);
    expect(summary.stdout.trim().split('\n').at(-1)).toBe('tests: 10 passed, 2 failed, 0 skipped');
    expect(summary.status).toBe(2);
  });

  it('counts a failing step outside vitest as one failure, and fails when no suite reported at all', () => {
    const root = checkout();
    run(root, '--start');
    workspace(root, 'a', { passed: 3, failed: 0 });
    // no turbo run in this `npm test` (lint failed first): the current workspaces' reports are read
    writeReport(root, 'packages/gone', { passed: 100, failed: 0 });
    const lintFailed = run(root, '--status', '1');
    expect(lintFailed.stdout.trim().split('\n').at(-1)).toBe('tests: 3 passed, 1 failed, 0 skipped');
    expect(lintFailed.status).toBe(1);
    const empty = checkout();
    const nothing = run(empty, '--status', '0');
    expect(nothing.stdout.trim()).toBe('tests: 0 passed, 1 failed, 0 skipped');
    expect(nothing.status).toBe(1);
  });
});
