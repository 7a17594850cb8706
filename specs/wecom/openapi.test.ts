import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkOperationExamples, collectOperations, createSpecValidator } from '@scrm-openapi/codegen';

const spec = JSON.parse(readFileSync(new URL('./dist/openapi.json', import.meta.url), 'utf8'));
const operations = collectOperations(spec);
const validator = createSpecValidator(spec);

describe('bundled WeCom spec', () => {
  it('has the operations of the 「联系我」 slice', () => {
    expect(operations.map((o) => o.id).sort()).toEqual(
      [
        'addContactWay',
        'checkFollowUser',
        'closeTempChat',
        'delContactWay',
        'getContactWay',
        'getCustomerAcquisitionAppPermit',
        'getFollowUserList',
        'getToken',
        'listContactWay',
        'updateContactWay',
      ].sort(),
    );
  });

  it.each(operations.map((o) => [o.id, o] as const))('%s: every example validates against its schema', (_id, operation) => {
    expect(operation.checks.length).toBeGreaterThan(0);
    expect(checkOperationExamples(spec, operation, validator)).toEqual([]);
  });

  it('declares an error-code catalog with an action for every code', () => {
    const errors = spec['x-scrm-errors'] as { code: number; action: string }[];
    expect(errors.length).toBeGreaterThanOrEqual(120);
    expect(errors.filter((e) => e.action === 'refresh-token').map((e) => e.code).sort()).toEqual([40001, 40014, 42001]);
  });
});
