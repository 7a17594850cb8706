import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { callbackOutcome, webhookExamples } from '@scrm-openapi/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createJijyunCallback, MemoryDedupeStore, type JijyunCallbackKey } from './callback.js';

// The spec's own webhook examples are the fixtures: every documented callback must parse.
const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@scrm-openapi/jijyun-spec/openapi.json'), 'utf8'));
const examples = webhookExamples<JijyunCallbackKey>(spec);

describe('Jijyun callbacks', () => {
  it.each(Object.keys(examples) as JijyunCallbackKey[])('parses the documented %s callback', async (key) => {
    expect(await createJijyunCallback().parse(key, JSON.stringify(examples[key]))).toEqual(examples[key]);
  });

  it('drops an aggregated event delivered twice, by event_id', async () => {
    const receiver = createJijyunCallback({ dedupe: new MemoryDedupeStore() });
    await receiver.parse('aggregateMessage', JSON.stringify(examples.aggregateMessage));
    const again = { ...examples.aggregateMessage, data: examples.aggregateMessage.data };
    expect(await callbackOutcome(receiver.parse('aggregateMessage', JSON.stringify(again)))).toBe('replayed');
    const other = { ...examples.aggregateMessage, event_id: 'another-event' };
    expect(await callbackOutcome(receiver.parse('aggregateMessage', JSON.stringify(other)))).toBe('accepted');
  });

  it('accepts aggregated events only from allowed company ids when an allow-list is set', async () => {
    const company = String(examples.aggregateMessage.company_id);
    expect(
      await callbackOutcome(
        createJijyunCallback({ allowedCompanyIds: [company] }).parse('aggregateMessage', JSON.stringify(examples.aggregateMessage)),
      ),
    ).toBe('accepted');
    expect(
      await callbackOutcome(
        createJijyunCallback({ allowedCompanyIds: ['someone-else'] }).parse('aggregateMessage', JSON.stringify(examples.aggregateMessage)),
      ),
    ).toBe('not-allowed');
  });

  it('checks the secret callback path when configured', async () => {
    const receiver = createJijyunCallback({ secretPath: '/hooks/jijyun/9f2c' });
    expect(await callbackOutcome(receiver.parse('message', JSON.stringify(examples.message), { path: '/hooks/jijyun/0000' }))).toBe(
      'bad-secret-path',
    );
  });

  it('only ever throws ScrmCallbackError for arbitrary bodies of every kind (fuzz)', async () => {
    const receiver = createJijyunCallback({ dedupe: false, allowedCompanyIds: ['c1'] });
    const keys = Object.keys(examples) as JijyunCallbackKey[];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...keys),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ data: v, event_id: 'e', company_id: v })),
        ),
        async (key, body) => {
          expect(await callbackOutcome(receiver.parse(key, body))).not.toMatch(/^not a callback error/);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
