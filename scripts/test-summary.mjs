#!/usr/bin/env node
// Sums every package's vitest JSON report (test-results/vitest.json) into one closing line for CI:
//   tests: N passed, N failed, N skipped
// `--status <exit code of the test command>` makes a failure outside vitest count as one failed check.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const roots = ['specs', 'packages', 'apps'];
let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const pkg of readdirSync(root)) {
    const file = path.join(root, pkg, 'test-results', 'vitest.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    reports++;
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    console.log(`  ${path.join(root, pkg)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  }
}
// a failing step outside vitest (lint, typecheck, drift check) counts as one failure
const statusArg = process.argv.indexOf('--status');
const stepStatus = statusArg > 0 ? Number(process.argv[statusArg + 1]) : 0;
if (reports === 0 || (stepStatus !== 0 && failed === 0)) failed += 1;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
