#!/usr/bin/env node
// npm run spec:diff — classifies each vendor's spec change since the base revision (breaking / additive /
// docs-only) and fails when a breaking change has no changeset of the matching bump for that vendor's packages.
//
// Base: see scripts/spec-base.mjs (HEAD with uncommitted spec edits on main, the merge base with main on a branch,
// the last release on a clean main; $SPEC_DIFF_BASE overrides). The other side is each spec's bundle in dist/, so
// bundle first: `npm run regen` does, and so does `npm test`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAt, checkChangesets, classify, readChangesets } from '@scrm-openapi/codegen';
import { listVendors } from '@scrm-openapi/vendors';
import { specBase } from './spec-base.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// SPEC_DIFF_ROOT: check another checkout (the gate's own test runs it on a scratch repository)
const root = path.resolve(process.env.SPEC_DIFF_ROOT ?? repo);
const redocly = path.join(repo, 'node_modules', '.bin', 'redocly');
const { rev: base, why } = specBase(root);
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

console.log(`spec diff against ${base.slice(0, 10)} (${why}):`);
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
