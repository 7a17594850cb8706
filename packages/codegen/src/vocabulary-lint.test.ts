import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const redocly = fileURLToPath(new URL('../../../node_modules/.bin/redocly', import.meta.url));

interface LintProblem {
  ruleId: string;
  message: string;
  location: { source: { ref: string }; pointer: string }[];
}

async function lint(fixture: string): Promise<LintProblem[]> {
  let stdout: string;
  try {
    ({ stdout } = await run(
      redocly,
      ['lint', `packages/codegen/test/fixtures/${fixture}`, '--config', 'redocly.yaml', '--format', 'json'],
      {
        cwd: root,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
      },
    ));
  } catch (error) {
    stdout = (error as { stdout?: string }).stdout ?? '';
  }
  return (JSON.parse(stdout.slice(stdout.indexOf('{'))) as { problems: LintProblem[] }).problems;
}

describe('spec lint rule scrm/vocabulary (redocly.yaml)', () => {
  it('names the file, the place and the field of every unknown or malformed x-scrm-* extension', async () => {
    const found = (await lint('bad-vocabulary.yaml'))
      .filter((p) => p.ruleId === 'scrm/vocabulary')
      .map((p) => ({ file: p.location[0]?.source.ref.split('/').pop(), pointer: p.location[0]?.pointer, message: p.message }));
    expect(found).toEqual(
      expect.arrayContaining([
        {
          file: 'bad-vocabulary.yaml',
          pointer: '#/paths/~1things~1list/post/x-scrm-pagination/style',
          message: 'x-scrm-pagination.style must be one of cursor, offset, page, not "cursr"',
        },
        {
          file: 'bad-vocabulary.yaml',
          pointer: '#/paths/~1token/get/x-scrm-paginaton',
          message: expect.stringMatching(/^x-scrm-paginaton is not an x-scrm extension \(did you mean x-scrm-pagination\?\)/),
        },
        {
          file: 'bad-vocabulary.yaml',
          pointer: '#/x-scrm-auth/injcet',
          message: expect.stringMatching(/^x-scrm-auth\.injcet is not a field of x-scrm-auth \(did you mean inject\?\)/),
        },
        // a misspelt action in the catalog that the root `$ref`s: reported in that file
        {
          file: 'bad-vocabulary-errors.yaml',
          pointer: '#/1/action',
          message: 'x-scrm-errors[1].action must be one of refresh-token, retry, throttle, fail, not "retyr"',
        },
        {
          file: 'bad-vocabulary.yaml',
          pointer: '#/components/schemas/Token/x-scrm-idempotent',
          message: 'x-scrm-idempotent does not belong on a schema object; it goes on an operation',
        },
        // evidence for a required response field: a kind that does not exist, and a field that is not required
        {
          file: 'bad-vocabulary.yaml',
          pointer: '#/components/schemas/Token/x-scrm-required-because/token',
          message: 'x-scrm-required-because.token must be one of envelope, vendor-marker, official-schema, purpose, not "becuase-docs"',
        },
        {
          file: 'bad-vocabulary.yaml',
          pointer: '#/components/schemas/Token/x-scrm-required-because/ttl',
          message: "x-scrm-required-because.ttl gives evidence for a field that is not in this schema's required list",
        },
      ]),
    );
  }, 60_000);

  it('accepts a spec whose extensions follow the vocabulary', async () => {
    expect((await lint('tiny.yaml')).filter((p) => p.ruleId === 'scrm/vocabulary')).toEqual([]);
    expect((await lint('tokens.yaml')).filter((p) => p.ruleId === 'scrm/vocabulary')).toEqual([]);
  }, 60_000);

  it('names a misspelt token kind in x-scrm-token and the kind it meant', async () => {
    const found = (await lint('bad-token-kind.yaml'))
      .filter((p) => p.ruleId === 'scrm/vocabulary')
      .map((p) => ({ pointer: p.location[0]?.pointer, message: p.message }));
    expect(found).toEqual([
      {
        pointer: '#/paths/~1suite~1corp_token/post/x-scrm-token',
        message: 'x-scrm-token suit is not a token kind of x-scrm-auth or x-scrm-tokens (did you mean suite?); known: corp, suite',
      },
    ]);
  }, 60_000);
});
