// The revision a spec change is measured against, shared by `npm run spec:diff` and `npm run regen` (which also
// rebuilds the packages changed since it). The working tree is always the other side, uncommitted edits included.
//
//   1. $SPEC_DIFF_BASE, when set;
//   2. on a branch with commits of its own: the merge base with main (origin/main, else the local main), so the
//      branch's commits and its uncommitted edits are measured together;
//   3. on main (or a branch with nothing committed yet) with uncommitted edits under specs/: HEAD, the last commit;
//   4. on a clean main: the last release (the last commit that changed a CHANGELOG.md), else the first commit — what
//      the release gate in `npm test` checks pending changesets against.
import { execFileSync } from 'node:child_process';

export function specBase(root, env = process.env) {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  if (env.SPEC_DIFF_BASE) return { rev: git('rev-parse', env.SPEC_DIFF_BASE), why: `SPEC_DIFF_BASE=${env.SPEC_DIFF_BASE}` };
  const head = git('rev-parse', 'HEAD');
  for (const main of ['origin/main', 'main']) {
    const mergeBase = git('merge-base', 'HEAD', main);
    if (!mergeBase) continue;
    if (mergeBase !== head) return { rev: mergeBase, why: `the merge base with ${main}; your branch's commits and uncommitted edits` };
    break;
  }
  if (git('status', '--porcelain', '--', 'specs')) return { rev: head, why: 'HEAD, the last commit; your uncommitted edits' };
  const release = git('log', '-1', '--format=%H', '--', ':(glob)**/CHANGELOG.md');
  if (release) return { rev: release, why: 'the last release; no uncommitted spec edits' };
  return {
    rev: git('rev-list', '--max-parents=0', 'HEAD').split('\n').pop(),
    why: 'the first commit (no release yet); no uncommitted spec edits',
  };
}
