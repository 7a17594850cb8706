// Fuzzing the Jijyun receiver (fast-check; moved here from packages/reliability, which fuzzes what every vendor
// shares): whatever arrives, only typed errors (ScrmError) escape, and nothing is accepted off the secret path, that
// is not a JSON object, or (for an aggregated event) from a company that is not allowed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScrmError } from '@scrm-openapi/core';
import { createJijyunCallback } from './callback.js';

const RUNS = 15_000;

async function onlyTyped(fn: () => Promise<unknown>): Promise<'ok' | 'typed'> {
  try {
    await fn();
    return 'ok';
  } catch (error) {
    if (isScrmError(error)) return 'typed';
    throw new Error(`an untyped error escaped: ${String(error)}`);
  }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

describe('fuzzing', () => {
  it(`the Jijyun receiver, every kind (${RUNS} inputs)`, async () => {
    const receiver = createJijyunCallback({ dedupe: false, allowedCompanyIds: ['c1'], secretPath: '/hooks/x' });
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('message', 'roomLeave', 'friendAccepted', 'aggregateMessage' as const),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ data: v, event_id: v, company_id: v })),
        ),
        fc.constantFrom('/hooks/x', '/hooks/y', undefined),
        async (key, body, path) => {
          ran++;
          const outcome = await onlyTyped(() => receiver.parse(key, body, path === undefined ? {} : { path }));
          const parsed = parseJson(body);
          const object = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
          const company = (parsed as { company_id?: unknown } | undefined)?.company_id;
          if (path !== '/hooks/x' || !object || (key === 'aggregateMessage' && company !== 'c1')) expect(outcome).toBe('typed');
        },
      ),
      { numRuns: RUNS },
    );
    expect(ran).toBe(RUNS);
  }, 300_000);
});
