// "One regeneration story": `npm run regen` (scripts/regen.mjs) is the one command after a spec edit, and README,
// CONTRIBUTING and the docs guide describe it in the same words (scripts/regen-story.md, copied between markers).
//
// End to end, on a scratch checkout holding the repository's root files and scripts, the Juzibot spec and its
// package (codegen, core and the tools come built from this repository through a node_modules link): a new optional
// request field is added to the spec and left uncommitted; the command must lint and bundle it, regenerate the
// package's types with the field, build and type-check the package, and print the change classified against HEAD.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { REPO_ROOT } from './index.mjs';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('one description of the regeneration command', () => {
  it('README, CONTRIBUTING and the docs guide carry scripts/regen-story.md word for word', () => {
    const story = read('scripts/regen-story.md').trimEnd();
    expect(story).toContain('npm run regen');
    for (const file of ['README.md', 'CONTRIBUTING.md', 'apps/docs/guides/regenerating.md', 'apps/docs/guides/en/regenerating.md']) {
      const block = /<!-- regen-story:start[^>]*-->\n([\s\S]*?)\n<!-- regen-story:end -->/.exec(read(file))?.[1];
      expect(block, `${file}: the regen-story block`).toBe(story);
    }
    // the checker the docs point to agrees
    expect(spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/regen-story.mjs')], { encoding: 'utf8' }).status).toBe(0);
  });

  it('is what `npm run regen` runs', () => {
    expect(JSON.parse(read('package.json')).scripts.regen).toBe('node scripts/regen.mjs');
  });
});

const scratch = mkdtempSync(path.join(tmpdir(), 'regen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run regen, end to end', () => {
  it('regenerates the types of an uncommitted spec edit, builds the package and classifies the change', () => {
    for (const file of ['package.json', 'turbo.json', 'tsconfig.base.json', '.spectral.yaml', 'scripts']) {
      cpSync(path.join(REPO_ROOT, file), path.join(scratch, file), { recursive: true });
    }
    for (const dir of ['specs/juzibot', 'packages/juzibot']) {
      cpSync(path.join(REPO_ROOT, dir), path.join(scratch, dir), {
        recursive: true,
        filter: (f) => !/(node_modules|test-results|\.turbo)$|[/\\]dist$/.test(f),
      });
    }
    writeFileSync(
      path.join(scratch, 'redocly.yaml'),
      read('redocly.yaml').replace('./packages/codegen/redocly-plugin.mjs', path.join(REPO_ROOT, 'packages/codegen/redocly-plugin.mjs')),
    );
    // codegen is not part of the scratch (it comes built through node_modules): drop the package's wait for its build
    const turboJson = path.join(scratch, 'packages/juzibot/turbo.json');
    const tasks = JSON.parse(readFileSync(turboJson, 'utf8'));
    tasks.tasks.generate.dependsOn = tasks.tasks.generate.dependsOn.filter((d: string) => !d.startsWith('@scrm-openapi/codegen'));
    writeFileSync(turboJson, JSON.stringify(tasks));
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@t.invalid', '-c', 'user.name=t', ...args], { cwd: scratch, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');

    const generated = path.join(scratch, 'packages/juzibot/src/generated/openapi.ts');
    expect(readFileSync(generated, 'utf8')).not.toContain('regenProbe');
    // the edit, left uncommitted: a new optional field of the bot-creation request
    const schemaFile = path.join(scratch, 'specs/juzibot/components/schemas/BotCreateRequest.yaml');
    const schema = parseDocument(readFileSync(schemaFile, 'utf8'));
    schema.setIn(['properties', 'regenProbe'], {
      type: 'string',
      description: 'A field added by the regeneration test.',
      example: 'probe',
    });
    writeFileSync(schemaFile, schema.toString());

    const { SPEC_DIFF_BASE: _base, SPEC_DIFF_ROOT: _root, ...env } = process.env;
    const run = spawnSync(process.execPath, [path.join(scratch, 'scripts/regen.mjs'), '--concurrency=1'], {
      cwd: scratch,
      encoding: 'utf8',
      env: { ...env, TURBO_TELEMETRY_DISABLED: '1', REDOCLY_TELEMETRY: 'off' },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    // lint, bundle, generate, build and typecheck of the changed chain ran
    for (const task of ['juzibot-spec:lint:spec', 'juzibot-spec:bundle', 'juzibot:generate', 'juzibot:build', 'juzibot:typecheck']) {
      expect(output).toContain(`@scrm-openapi/${task}`);
    }
    expect(readFileSync(generated, 'utf8')).toMatch(/regenProbe\?: string/);
    // quiet: no Redocly Node 20 end-of-life box (scripts/redocly.mjs drops it), however many times redocly ran
    expect(output).not.toContain('Node.js 20 support is ending');
    expect(existsSync(path.join(scratch, 'packages/juzibot/dist/index.js'))).toBe(true);
    // classified against the last commit, the uncommitted edit included
    expect(run.stdout).toMatch(/spec diff against [0-9a-f]{10} \(HEAD, the last commit; your uncommitted edits\)/);
    expect(run.stdout).toMatch(/juzibot\s+additive\s+\(0 breaking, [1-9]\d* additive/);
  }, 600_000);
});
