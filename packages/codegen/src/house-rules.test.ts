import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const redocly = fileURLToPath(new URL('../../../node_modules/.bin/redocly', import.meta.url));

async function lint(fixture: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(redocly, ['lint', `packages/codegen/test/fixtures/${fixture}`, '--config', 'redocly.yaml', '--format', 'json'], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
    });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return (e.stdout ?? '') + (e.stderr ?? '');
  }
}

describe('redocly house rules (redocly.yaml)', () => {
  it('flag every convention a spec breaks', async () => {
    const output = await lint('broken.yaml');
    for (const rule of [
      'rule/operation-id-camel-case',
      'rule/operation-summary-present',
      'rule/operation-default-error-response',
      'rule/operation-source',
      'rule/operation-idempotency',
      'rule/media-type-example',
      'rule/no-nullable-keyword',
    ]) {
      expect(output, rule).toContain(rule);
    }
  }, 60_000);

  it('accept a spec that follows them', async () => {
    const output = await lint('tiny.yaml');
    expect(output).not.toMatch(/"severity":\s*"error"/);
  }, 60_000);
});
