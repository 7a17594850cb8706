#!/usr/bin/env node
// npm run regen — the one command after editing a spec (the steps are described in scripts/regen-story.md, which
// README.md, CONTRIBUTING.md and the docs guide include word for word):
//   1. turbo lints, bundles and regenerates every changed spec, then builds and type-checks everything that depends
//      on it — the vendor packages, the sandbox, the docs site and the demo — and nothing else
//      (`--filter=...[<base>]`: the packages changed since the base, uncommitted edits included, and their dependents);
//   2. scripts/spec-diff.mjs classifies each spec change against the same base (breaking / additive / docs-only) and
//      fails when a breaking change has no changeset of the matching bump.
// The base (scripts/spec-base.mjs): HEAD with uncommitted edits on main, the merge base with main on a branch.
// Extra arguments go to turbo (e.g. `npm run regen -- --concurrency=1`).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { specBase } from './spec-base.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', REDOCLY_TELEMETRY: 'off', DO_NOT_TRACK: '1' };
const { rev, why } = specBase(root);

console.log(`== regen 1/2: lint, bundle, regenerate, build and type-check what changed since ${rev.slice(0, 10)} (${why})`);
const turbo = spawnSync(
  bin('turbo'),
  [
    'run',
    'lint:spec',
    'bundle',
    'lint:spectral',
    'generate',
    'build',
    'typecheck',
    `--filter=...[${rev}]`,
    '--output-logs=new-only',
    ...process.argv.slice(2),
  ],
  { cwd: root, env, stdio: 'inherit' },
);
if (turbo.status !== 0) {
  console.error(`regen: turbo failed (exit ${turbo.status ?? turbo.signal}); fix the first error above and run it again`);
  process.exit(turbo.status ?? 1);
}

console.log('== regen 2/2: classify the spec change (npm run spec:diff)');
const diff = spawnSync(process.execPath, [path.join(root, 'scripts', 'spec-diff.mjs')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(diff.status ?? 1);
