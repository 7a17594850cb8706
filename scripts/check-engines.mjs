#!/usr/bin/env node
// Checks that every installed package runs on the oldest Node the project supports: the lowest version the root
// package.json's engines.node allows (20.19.0 for ">=20.19"). It walks the `packages` entries of package-lock.json
// (each carries the package's own `engines`) and fails on any engines.node range that excludes that version, so a
// dependency bump that needs a newer Node (cookie@2 wants Node 22) is caught before `npm ci` warns users about it.
// Usage: node scripts/check-engines.mjs [package-lock.json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** The entries of `lock.packages` whose engines.node excludes `node` (an exact version). */
export function enginesExcluding(lock, node) {
  const problems = [];
  for (const [where, entry] of Object.entries(lock.packages ?? {})) {
    if (where === '') continue; // the root itself
    const range = entry?.engines?.node;
    if (typeof range !== 'string') continue; // old packages list engines as an array of strings: nothing to check
    const name = where.replace(/^.*node_modules\//, '') || where;
    const valid = semver.validRange(range, { loose: true });
    if (valid === null) problems.push({ name, where, version: entry.version, range, reason: 'not a semver range' });
    else if (!semver.satisfies(node, valid, { includePrerelease: true })) problems.push({ name, where, version: entry.version, range });
  }
  return problems;
}

/** The oldest Node version a root package.json supports (`semver.minVersion` of its engines.node). */
export function oldestSupportedNode(pkg) {
  const range = pkg.engines?.node;
  if (typeof range !== 'string') throw new Error('the root package.json declares no engines.node');
  const min = semver.minVersion(range);
  if (!min) throw new Error(`engines.node ${JSON.stringify(range)} allows no version`);
  return min.version;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const lockFile = path.resolve(process.argv[2] ?? path.join(root, 'package-lock.json'));
  const node = oldestSupportedNode(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  const problems = enginesExcluding(JSON.parse(readFileSync(lockFile, 'utf8')), node);
  if (problems.length === 0) {
    console.log(`check-engines: every package in ${path.relative(root, lockFile) || lockFile} runs on Node ${node}`);
  } else {
    for (const p of problems)
      console.error(`check-engines: ${p.name}@${p.version} (${p.where}) needs node ${p.range}${p.reason ? ` (${p.reason})` : ''}`);
    console.error(
      `check-engines: ${problems.length} package(s) exclude Node ${node}: pin versions that support it (an \`overrides\` entry in package.json)`,
    );
    process.exit(1);
  }
}
