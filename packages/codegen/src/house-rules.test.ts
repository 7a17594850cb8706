import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const redocly = fileURLToPath(new URL('../../../node_modules/.bin/redocly', import.meta.url));

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; location: { pointer: string }[] }[];
}

/**
 * Runs `redocly lint` with the repository's config and returns its exit code and its parsed JSON report. Throws
 * when redocly cannot be started or prints no JSON report (a broken runner must fail the test, not pass it).
 */
async function lint(spec: string): Promise<{ exitCode: number; report: LintReport }> {
  let stdout: string;
  let stderr: string;
  let exitCode = 0;
  try {
    ({ stdout, stderr } = await run(redocly, ['lint', spec, '--config', 'redocly.yaml', '--format', 'json'], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
    }));
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    // a lint failure exits with a number; a spawn failure (ENOENT, EACCES) has a string code
    if (typeof e.code !== 'number') throw error;
    exitCode = e.code;
    stdout = e.stdout ?? '';
    stderr = e.stderr ?? '';
  }
  let report: LintReport;
  try {
    report = JSON.parse(stdout) as LintReport;
  } catch {
    throw new Error(`redocly lint ${spec} printed no JSON report (exit ${exitCode}): ${stdout.slice(0, 300)}\n${stderr.slice(-1000)}`);
  }
  expect(report.totals, 'a redocly JSON report').toBeTypeOf('object');
  expect(Array.isArray(report.problems), 'a redocly JSON report').toBe(true);
  return { exitCode, report };
}

/** `ruleId @ pointer` of every house-rule problem (the `rule/…` assertions of redocly.yaml), sorted. */
const houseProblems = (report: LintReport) =>
  report.problems
    .filter((p) => p.ruleId.startsWith('rule/'))
    .map((p) => `${p.ruleId} @ ${p.location[0]?.pointer} (${p.severity})`)
    .sort();

const houseRules = Object.keys((parse(readFileSync(join(root, 'redocly.yaml'), 'utf8')) as { rules: Record<string, unknown> }).rules)
  .filter((r) => r.startsWith('rule/'))
  .sort();

// The three rules broken.yaml does not break (no 200, a parameter without example, `$defs`), in a spec of its own.
const tmp = mkdtempSync(join(tmpdir(), 'house-rules-'));
const MORE_BROKEN = join(tmp, 'more-broken.yaml');
writeFileSync(
  MORE_BROKEN,
  `openapi: 3.1.0
info:
  title: more broken
  version: 1.0.0
  description: Breaks the house rules broken.yaml keeps.
  license: {name: MIT, identifier: MIT}
servers:
  - url: https://api.broken.invalid
security: []
tags:
  - name: things
    description: Things.
paths:
  /things:
    get:
      operationId: listThings
      summary: 列出
      description: No 200 response, a parameter without an example.
      tags: [things]
      x-scrm-idempotent: true
      x-scrm-source: {confidence: inferred}
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        default:
          description: error
          content:
            application/json:
              schema:
                type: object
                properties: {code: {$ref: '#/$defs/Code'}}
                $defs:
                  Code: {type: integer}
              example: {code: 1}
`,
);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const P = '#/paths/~1things~1get/post';

describe('redocly house rules (redocly.yaml)', () => {
  it('flag every convention a spec breaks, where it breaks it', async () => {
    const { exitCode, report } = await lint('packages/codegen/test/fixtures/broken.yaml');
    expect(exitCode).toBe(1);
    expect(report.totals.errors).toBe(report.problems.filter((p) => p.severity === 'error').length);
    expect(houseProblems(report)).toEqual(
      [
        `rule/media-type-example @ ${P}/requestBody/content/application~1json (error)`,
        `rule/media-type-example @ ${P}/responses/200/content/application~1json (error)`,
        `rule/no-nullable-keyword @ ${P}/requestBody/content/application~1json/schema/properties/id/nullable (error)`,
        `rule/operation-default-error-response @ ${P}/responses (error)`,
        `rule/operation-id-camel-case @ ${P}/operationId (error)`,
        `rule/operation-idempotency @ ${P}/x-scrm-idempotent (error)`,
        `rule/operation-source @ ${P}/x-scrm-source (error)`,
        `rule/operation-summary-present @ ${P}/summary (error)`,
      ].sort(),
    );

    const more = await lint(MORE_BROKEN);
    expect(more.exitCode).toBe(1);
    const Q = '#/paths/~1things/get';
    expect(houseProblems(more.report)).toEqual(
      [
        `rule/no-defs @ ${Q}/responses/default/content/application~1json/schema/$defs (error)`,
        `rule/operation-success-response @ ${Q}/responses (error)`,
        `rule/parameter-example @ ${Q}/parameters/0 (error)`,
      ].sort(),
    );

    // every house rule of redocly.yaml is exercised by one of the two specs
    const flagged = new Set([...report.problems, ...more.report.problems].map((p) => p.ruleId));
    expect(houseRules.length).toBeGreaterThanOrEqual(10);
    expect(houseRules.filter((r) => !flagged.has(r))).toEqual([]);
  }, 60_000);

  it('accept a spec that follows them', async () => {
    const { exitCode, report } = await lint('packages/codegen/test/fixtures/tiny.yaml');
    expect(exitCode).toBe(0);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
    expect(report.problems).toEqual([]);
  }, 60_000);
});
