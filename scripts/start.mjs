#!/usr/bin/env node
// `npm start`: everything has been built by turbo at this point. The sandbox, demo and docs servers arrive with
// their own issues; until then this prints what was built and where to look.
import { existsSync, readdirSync } from 'node:fs';

const built = [];
for (const root of ['specs', 'packages', 'apps']) {
  if (!existsSync(root)) continue;
  for (const pkg of readdirSync(root)) {
    if (existsSync(`${root}/${pkg}/dist`)) built.push(`${root}/${pkg}/dist`);
  }
}
console.log('scrm-openapi: built');
for (const dir of built) console.log(`  ${dir}`);
console.log('Next: see packages/wecom/README.md for a runnable example.');
