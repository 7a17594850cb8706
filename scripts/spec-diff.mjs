#!/usr/bin/env node
// npm run spec:diff — classifies each vendor's spec change since the base revision (breaking / additive /
// docs-only) and fails when a breaking change has no changeset of the matching bump for that vendor's packages.
//
// Base: $SPEC_DIFF_BASE if set; else the merge base with origin/main when HEAD is not on it; else the last release
// (the last commit that changed a CHANGELOG.md); else the first commit.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAt, checkChangesets, classify, readChangesets } from '@scrm-openapi/codegen';
import { listVendors } from '@scrm-openapi/vendors';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// SPEC_DIFF_ROOT: check another checkout (the gate's own test runs it on a scratch repository)
const root = path.resolve(process.env.SPEC_DIFF_ROOT ?? repo);
const redocly = path.join(repo, 'node_modules', '.bin', 'redocly');
const git = (...args) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

function baseRevision() {
  if (process.env.SPEC_DIFF_BASE) return git('rev-parse', process.env.SPEC_DIFF_BASE);
  const head = git('rev-parse', 'HEAD');
  const mergeBase = git('merge-base', 'HEAD', 'origin/main');
  if (mergeBase && mergeBase !== head) return mergeBase;
  const release = git('log', '-1', '--format=%H', '--', ':(glob)**/CHANGELOG.md');
  if (release) return release;
  return git('rev-list', '--max-parents=0', 'HEAD').split('\n').pop();
}

const base = baseRevision();
const vendors = listVendors(root)
  .filter((v) => existsSync(path.join(v.specDir, 'dist', 'openapi.json')))
  .map((v) => v.name);
const version = (dir) => JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')).version;
const results = vendors.map((vendor) => {
  const basePath = bundleAt(root, base, vendor, { redocly });
  const r = classify(basePath, path.join(root, 'specs', vendor, 'dist', 'openapi.json'), { redocly });
  return {
    vendor,
    ...r,
    packages: [
      { name: `@scrm-openapi/${vendor}-spec`, version: version(`specs/${vendor}`) },
      ...(existsSync(path.join(root, 'packages', vendor))
        ? [{ name: `@scrm-openapi/${vendor}`, version: version(`packages/${vendor}`) }]
        : []),
    ],
  };
});

console.log(`spec diff against ${base.slice(0, 10)}:`);
for (const r of results) {
  const s = r.summary;
  console.log(
    `  ${r.vendor.padEnd(8)} ${r.change.padEnd(10)} ${r.change === 'new' ? '(no spec at the base)' : `(${s.major ?? 0} breaking, ${s.minor ?? 0} additive, ${s.patch ?? 0} docs-only changes)`}`,
  );
  for (const c of r.changes.slice(0, 10)) console.log(`      breaking: ${c}`);
}
const problems = checkChangesets(results, readChangesets(path.join(root, '.changeset')));
for (const p of problems) console.error(`✗ ${p}`);
console.log(
  problems.length
    ? `spec diff: ${problems.length} breaking change(s) without a matching changeset`
    : 'spec diff: every breaking change has a matching changeset',
);
process.exit(problems.length ? 1 : 0);
