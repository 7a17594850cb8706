#!/usr/bin/env node
// The closing line of `npm test`, summed over every vitest suite of the run:
//   tests: N passed, N failed, N skipped
//
//   node scripts/test-summary.mjs --start             before the steps: remembers when this run began
//   node scripts/test-summary.mjs --status <code>     after them: prints the per-suite counts and the total, and exits
//                                                     with <code> (or 1 when a suite failed)
//
// Which reports count: the `test` tasks of the turbo run this `npm test` made (its `--summarize` file in
// .turbo/runs/, the newest one started after --start). A suite turbo ran writes test-results/vitest.json; a suite
// turbo took from its cache has its report restored (or left in place, unchanged) — both are counted, so a cached run
// sums the same as a cold one. A report of a package that is no longer a workspace is never read, and a test task
// that did not run (turbo stopped at an earlier failure) or left no fresh report is named and counted as a failure.
// Without a run summary (a step before turbo failed, or the script run by hand) it reads the report of every
// current workspace that has a `test` script.
// A failing step outside vitest (lint, drift check, typecheck, release checks) counts as one failed check.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.env.TEST_SUMMARY_ROOT ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const marker = path.join(root, '.turbo', 'test-summary-started');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};

if (process.argv.includes('--start')) {
  mkdirSync(path.dirname(marker), { recursive: true });
  writeFileSync(marker, String(Date.now()));
  process.exit(0);
}

const started = existsSync(marker) ? Number(readFileSync(marker, 'utf8')) : 0;
const stepStatus = Number(arg('--status') ?? 0);

/** The current workspaces (the root package.json's `workspaces`, one level of `dir/*` globs) with a `test` script. */
function workspacesWithTests() {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const dirs = [];
  for (const pattern of manifest.workspaces ?? []) {
    const parent = pattern.endsWith('/*') ? pattern.slice(0, -2) : undefined;
    const candidates = parent
      ? existsSync(path.join(root, parent))
        ? readdirSync(path.join(root, parent)).map((d) => path.join(parent, d))
        : []
      : [pattern];
    for (const dir of candidates) {
      const pkg = path.join(root, dir, 'package.json');
      if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).scripts?.test) dirs.push(dir);
    }
  }
  return dirs.sort();
}

/** The `test` tasks of the newest turbo run summary written since --start, or undefined when there is none. */
function testTasksOfThisRun() {
  const runs = path.join(root, '.turbo', 'runs');
  if (!started || !existsSync(runs)) return undefined;
  const summaries = readdirSync(runs)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(runs, f), 'utf8')))
    .filter((s) => (s.execution?.startTime ?? 0) >= started && s.tasks?.some((t) => t.task === 'test'))
    .sort((a, b) => b.execution.startTime - a.execution.startTime);
  return summaries[0]?.tasks.filter((t) => t.task === 'test' && t.command !== '<NONEXISTENT>');
}

const suites = []; // { dir, report?, problem? }
const tasks = testTasksOfThisRun();
if (tasks) {
  for (const task of tasks) {
    const dir = task.directory;
    const file = path.join(root, dir, 'test-results', 'vitest.json');
    const ran = task.execution?.exitCode !== undefined;
    const cached = task.cache?.status === 'HIT';
    if (!ran && !cached) suites.push({ dir, problem: 'did not run' });
    else if (!existsSync(file)) suites.push({ dir, problem: 'wrote no report' });
    // run (not restored) in this turbo run: its report must be newer than the task's start
    else if (!cached && statSync(file).mtimeMs < (task.execution?.startTime ?? 0) - 1000)
      suites.push({ dir, problem: 'left a stale report' });
    else suites.push({ dir, report: JSON.parse(readFileSync(file, 'utf8')), exitCode: task.execution?.exitCode });
  }
} else {
  for (const dir of workspacesWithTests()) {
    const file = path.join(root, dir, 'test-results', 'vitest.json');
    if (existsSync(file)) suites.push({ dir, report: JSON.parse(readFileSync(file, 'utf8')) });
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites.sort((a, b) => a.dir.localeCompare(b.dir))) {
  if (suite.problem) {
    failed += 1;
    console.log(`  ${suite.dir}: ${suite.problem}`);
    continue;
  }
  const r = suite.report;
  // a file that fails to load is a failed suite with no failed test in it
  let suiteFailed = (r.numFailedTests ?? 0) || (r.numFailedTestSuites ?? 0);
  // vitest exited non-zero with every test passing (an unhandled error): one failure
  if (suiteFailed === 0 && suite.exitCode) suiteFailed = 1;
  passed += r.numPassedTests ?? 0;
  failed += suiteFailed;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`  ${suite.dir}: ${r.numPassedTests ?? 0} passed, ${suiteFailed} failed`);
}
if (suites.length === 0 || (stepStatus !== 0 && failed === 0)) failed += 1;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(stepStatus !== 0 ? stepStatus : failed > 0 ? 1 : 0);
