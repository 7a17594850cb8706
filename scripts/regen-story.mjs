#!/usr/bin/env node
// One description of `npm run regen`, in three places: scripts/regen-story.md is copied word for word between the
// markers `<!-- regen-story:start -->` and `<!-- regen-story:end -->` of README.md, CONTRIBUTING.md and the docs
// guide apps/docs/guides/regenerating.md (and its English twin guides/en/regenerating.md).
//   node scripts/regen-story.mjs          fails (and names the file) when a copy differs from the source
//   node scripts/regen-story.mjs --write  rewrites the copies from the source
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STORY = 'scripts/regen-story.md';
export const COPIES = ['README.md', 'CONTRIBUTING.md', 'apps/docs/guides/regenerating.md', 'apps/docs/guides/en/regenerating.md'];
const START = '<!-- regen-story:start (copied from scripts/regen-story.md by `node scripts/regen-story.mjs --write`) -->';
const END = '<!-- regen-story:end -->';

/** The text of `file` with the story between its markers; throws when the markers are missing. */
export function withStory(text, story, file) {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} block`);
  return `${text.slice(0, start + START.length)}\n${story.trimEnd()}\n${text.slice(end)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const story = readFileSync(path.join(root, STORY), 'utf8');
  const stale = [];
  for (const file of COPIES) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const wanted = withStory(text, story, file);
    if (wanted === text) continue;
    if (process.argv.includes('--write')) writeFileSync(path.join(root, file), wanted);
    else stale.push(file);
  }
  for (const file of stale) console.error(`✗ ${file}: its regeneration section differs from ${STORY}`);
  if (stale.length) {
    console.error('run `node scripts/regen-story.mjs --write` (edit scripts/regen-story.md, never the copies)');
    process.exit(1);
  }
}
