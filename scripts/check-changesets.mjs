#!/usr/bin/env node
// Checks that the pending changesets make a release plan, the way `changeset version` will build it: a changeset
// that names a package that does not exist, or mixes a package changesets ignores (.changeset/config.json, e.g.
// @scrm-openapi/codegen) with published ones, makes that command fail on release day. Prints the plan.
import path from 'node:path';
import getReleasePlanModule from '@changesets/get-release-plan';

const getReleasePlan = getReleasePlanModule.default ?? getReleasePlanModule;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

try {
  const plan = await getReleasePlan(root);
  const bumps = plan.releases.filter((r) => r.type !== 'none').map((r) => `${r.name} ${r.type}`);
  console.log(`changesets: ${plan.changesets.length} pending, a valid release plan (${bumps.length} packages: ${bumps.join(', ')})`);
} catch (error) {
  console.error(`✗ changesets: no release plan can be made from .changeset/:\n${error instanceof Error ? error.message : String(error)}`);
  console.error('  (a changeset naming an ignored package must name nothing else: put that package in its own changeset)');
  process.exit(1);
}
