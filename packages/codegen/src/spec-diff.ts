// The spec-diff gate: classify each vendor's spec change between two revisions (redocly diff rates every change by
// the semver bump it needs) and check that breaking changes come with a changeset of the matching bump for that
// vendor's packages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export type SpecChange = 'breaking' | 'additive' | 'docs-only' | 'unchanged' | 'new';
export type Bump = 'major' | 'minor' | 'patch';

const IMPACT: Record<string, SpecChange> = { major: 'breaking', minor: 'additive', patch: 'docs-only' };
const RANK: Record<string, number> = { none: 0, patch: 1, minor: 2, major: 3 };
const rank = (bump: string): number => RANK[bump] ?? 0;

/** Runs `redocly diff` on two bundled specs; returns { change: breaking|additive|docs-only|unchanged|new, summary, changes }. */
export function classify(
  basePath: string | undefined,
  headPath: string,
  { redocly }: { redocly: string },
): { change: SpecChange; summary: Record<string, number>; changes: string[] } {
  if (!basePath) return { change: 'new', summary: {}, changes: [] };
  const out = execFileSync(redocly, ['diff', basePath, headPath, '--format', 'json', '--fail-on', 'none', '--lint-config', 'off'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
  });
  const report = JSON.parse(out.slice(out.indexOf('{'))) as {
    bump?: string;
    summary?: Record<string, number>;
    changes?: { impact: string; kind: string; path: string; property?: string }[];
  };
  const bump = report.bump ?? 'none';
  return {
    change: IMPACT[bump] ?? 'unchanged',
    summary: report.summary ?? {},
    changes: (report.changes ?? [])
      .filter((c) => c.impact === 'major')
      .map((c) => `${c.kind} ${c.path}${c.property ? ` ${c.property}` : ''}`),
  };
}

/** Reads pending changesets: package name → the largest bump asked for. */
export function readChangesets(dir: string): Record<string, Bump> {
  const bumps: Record<string, Bump> = {};
  if (!existsSync(dir)) return bumps;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
    for (const line of front.split('\n')) {
      const m = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/.exec(line);
      if (m?.[1] && m[2] && rank(m[2]) > rank(bumps[m[1]] ?? 'none')) bumps[m[1]] = m[2] as Bump;
    }
  }
  return bumps;
}

/**
 * Which bump a breaking change needs for a package at `version`: major from 1.0.0 on; before 1.0.0 (0.x), where
 * semver treats the minor number as the breaking one, at least minor.
 */
export function requiredBump(change: SpecChange, version: string): 'major' | 'minor' | 'none' {
  if (change !== 'breaking') return 'none';
  return Number(String(version).split('.')[0]) >= 1 ? 'major' : 'minor';
}

/** Problems: breaking changes whose vendor packages have no changeset of the matching bump. */
export function checkChangesets(
  results: { vendor: string; change: SpecChange; packages: { name: string; version: string }[] }[],
  bumps: Record<string, string>,
): string[] {
  const problems: string[] = [];
  for (const r of results) {
    for (const { name, version } of r.packages) {
      const need = requiredBump(r.change, version);
      if (need === 'none') continue;
      const have = bumps[name] ?? 'none';
      if (rank(have) < rank(need)) {
        problems.push(
          `${r.vendor}: breaking spec change, but ${name} (${version}) has ${have === 'none' ? 'no changeset' : `only a ${have} changeset`}; add a ${need} changeset (npx changeset)`,
        );
      }
    }
  }
  return problems;
}

/** Bundles `specs/<vendor>` as it was at git revision `rev` (into a temp dir); undefined when it did not exist. */
export function bundleAt(root: string, rev: string, vendor: string, { redocly }: { redocly: string }): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), `spec-${vendor}-`));
  try {
    const tar = execFileSync('git', ['archive', rev, `specs/${vendor}`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 256 * 1024 * 1024,
    });
    writeFileSync(path.join(dir, 'spec.tar'), tar);
    execFileSync('tar', ['-xf', 'spec.tar'], { cwd: dir });
  } catch {
    return undefined;
  }
  const entry = path.join(dir, 'specs', vendor, 'openapi.yaml');
  if (!existsSync(entry)) return undefined;
  const out = path.join(dir, 'base.json');
  execFileSync(redocly, ['bundle', entry, '--ext', 'json', '-o', out, '--lint-config', 'off'], {
    stdio: 'ignore',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
  });
  return out;
}
