import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkChangesets, classify, readChangesets, requiredBump } from './index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const redocly = path.join(repo, 'node_modules', '.bin', 'redocly');
const tiny = parse(readFileSync(new URL('../test/fixtures/tiny.yaml', import.meta.url), 'utf8'));

function write(spec: unknown) {
  const dir = mkdtempSync(path.join(tmpdir(), 'spec-diff-'));
  const file = path.join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

describe('spec-diff classification', () => {
  it('rates a removed operation as breaking, a new one as additive, a description as docs-only', () => {
    const base = write(tiny);
    const removed = structuredClone(tiny);
    delete removed.paths['/things/list'];
    expect(classify(base, write(removed), { redocly }).change).toBe('breaking');
    const added = structuredClone(tiny);
    added.paths['/things/other'] = structuredClone(tiny.paths['/things/list']);
    added.paths['/things/other'].post.operationId = 'otherThings';
    expect(classify(base, write(added), { redocly }).change).toBe('additive');
    const docs = structuredClone(tiny);
    docs.paths['/things/list'].post.description = 'Lists things, now better explained.';
    expect(classify(base, write(docs), { redocly }).change).toBe('docs-only');
    expect(classify(undefined, write(tiny), { redocly }).change).toBe('new');
  }, 60_000);

  it('requires a major changeset from 1.0.0, a minor one before', () => {
    expect(requiredBump('breaking', '1.4.0')).toBe('major');
    expect(requiredBump('breaking', '0.3.0')).toBe('minor');
    expect(requiredBump('additive', '1.4.0')).toBe('none');
    const results = [{ vendor: 'tiny', change: 'breaking' as const, packages: [{ name: '@scrm-openapi/tiny', version: '1.0.0' }] }];
    expect(checkChangesets(results, {})).toHaveLength(1);
    expect(checkChangesets(results, { '@scrm-openapi/tiny': 'minor' })).toHaveLength(1);
    expect(checkChangesets(results, { '@scrm-openapi/tiny': 'major' })).toEqual([]);
  });

  it('reads the largest bump of each package from pending changesets', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'changesets-'));
    writeFileSync(path.join(dir, 'a.md'), '---\n"@scrm-openapi/wecom": patch\n"@scrm-openapi/wecom-spec": minor\n---\n\ntext\n');
    writeFileSync(path.join(dir, 'b.md'), "---\n'@scrm-openapi/wecom': major\n---\n\ntext\n");
    expect(readChangesets(dir)).toEqual({ '@scrm-openapi/wecom': 'major', '@scrm-openapi/wecom-spec': 'minor' });
  });
});

describe('the gate, end to end', () => {
  it('fails a deliberately breaking spec edit without a changeset, and passes once one is added', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'spec-gate-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: scratch, stdio: 'ignore' });
    // a scratch repository holding the Juzibot spec, its package manifests and no pending changesets
    cpSync(path.join(repo, 'specs', 'juzibot'), path.join(scratch, 'specs', 'juzibot'), {
      recursive: true,
      filter: (f) => !/node_modules|test-results|[/\\]dist([/\\]|$)/.test(f),
    });
    mkdirSync(path.join(scratch, 'packages', 'juzibot'), { recursive: true });
    cpSync(path.join(repo, 'packages', 'juzibot', 'package.json'), path.join(scratch, 'packages', 'juzibot', 'package.json'));
    mkdirSync(path.join(scratch, '.changeset'));
    git('init', '-q');
    git('-c', 'user.email=t@t.invalid', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@t.invalid', '-c', 'user.name=t', 'commit', '-qm', 'base');
    // bundle it as `npm run bundle` would, then make the breaking edit: an operation disappears
    const bundled = path.join(scratch, 'specs', 'juzibot', 'dist', 'openapi.json');
    execFileSync(
      redocly,
      ['bundle', path.join(scratch, 'specs', 'juzibot', 'openapi.yaml'), '--ext', 'json', '-o', bundled, '--lint-config', 'off'],
      {
        stdio: 'ignore',
        env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
      },
    );
    const spec = JSON.parse(readFileSync(bundled, 'utf8'));
    delete spec.paths['/api/v1/tag/list'];
    writeFileSync(bundled, JSON.stringify(spec));
    const gate = () =>
      spawnSync(process.execPath, [path.join(repo, 'scripts', 'spec-diff.mjs')], {
        env: { ...process.env, SPEC_DIFF_ROOT: scratch, SPEC_DIFF_BASE: 'HEAD' },
        encoding: 'utf8',
      });
    const failing = gate();
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(/juzibot\s+breaking/);
    expect(failing.stderr).toMatch(/@scrm-openapi\/juzibot-spec .* no changeset/);
    writeFileSync(
      path.join(scratch, '.changeset', 'drop-tag-list.md'),
      '---\n"@scrm-openapi/juzibot-spec": minor\n"@scrm-openapi/juzibot": minor\n---\n\nRemove tag/list.\n',
    );
    expect(gate().status).toBe(0);
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);
});
