import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { callbackOutcome, webhookExamples } from '@scrm-openapi/core/testing';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createJuzibotCallback, MemoryDedupeStore, type ScrmCallbackError, type JuzibotCallbackKey } from './callback.js';

// The spec's own webhook examples are the fixtures: every documented callback must parse.
const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@scrm-openapi/juzibot-spec/openapi.json'), 'utf8'));
const examples = webhookExamples<JuzibotCallbackKey>(spec);

describe('Juzibot callbacks', () => {
  it.each(Object.keys(examples) as JuzibotCallbackKey[])('parses the documented %s callback', async (key) => {
    const parsed = await createJuzibotCallback().parse(key, JSON.stringify(examples[key]));
    expect(parsed).toEqual(examples[key]);
  });

  it('types the payload by callback kind', async () => {
    const message = await createJuzibotCallback().parse('message', JSON.stringify(examples.message));
    expectTypeOf(message.messageId).toEqualTypeOf<string | undefined>();
  });

  it('rejects a payload that does not match the spec, naming the field only', async () => {
    const bad = { ...examples.message, messageType: 'not a number' };
    const error = await createJuzibotCallback()
      .parse('message', JSON.stringify(bad))
      .catch((e: unknown) => e as ScrmCallbackError);
    expect(error).toMatchObject({ reason: 'invalid-payload' });
    expect((error as Error).message).toContain('messageType');
  });

  it('checks the echoed token when one is configured', async () => {
    const ours = { ...examples.message, token: 'our-enterprise-token' };
    expect(await callbackOutcome(createJuzibotCallback({ token: 'our-enterprise-token' }).parse('message', JSON.stringify(ours)))).toBe(
      'accepted',
    );
    expect(await callbackOutcome(createJuzibotCallback({ token: 'another-token' }).parse('message', JSON.stringify(ours)))).toBe(
      'bad-token',
    );
    const group = examples.groupMessage as { data: Record<string, unknown> };
    const body = JSON.stringify({ ...group, data: { ...group.data, token: 'group-token-1' } });
    expect(await callbackOutcome(createJuzibotCallback({ groupToken: 'group-token-2' }).parse('groupMessage', body))).toBe('bad-token');
  });

  it('drops re-deliveries of the same message (Juzibot retries up to 5 times)', async () => {
    const receiver = createJuzibotCallback({ dedupe: new MemoryDedupeStore() });
    await receiver.parse('message', JSON.stringify(examples.message));
    expect(await callbackOutcome(receiver.parse('message', JSON.stringify({ ...examples.message, avatar: 'changed' })))).toBe('replayed');
  });

  it('checks the secret callback path when configured', async () => {
    const receiver = createJuzibotCallback({ secretPath: '/hooks/juzibot/7b1c0f' });
    expect(await callbackOutcome(receiver.parse('message', JSON.stringify(examples.message), { path: '/hooks/juzibot/guess' }))).toBe(
      'bad-secret-path',
    );
    expect(await callbackOutcome(receiver.parse('message', JSON.stringify(examples.message), { path: '/hooks/juzibot/7b1c0f' }))).toBe(
      'accepted',
    );
  });

  it('only ever throws ScrmCallbackError for arbitrary bodies of every kind (fuzz)', async () => {
    const receiver = createJuzibotCallback({ dedupe: false, token: 't' });
    const keys = Object.keys(examples) as JuzibotCallbackKey[];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...keys),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ data: v })),
        ),
        async (key, body) => {
          expect(await callbackOutcome(receiver.parse(key, body))).not.toMatch(/^not a callback error/);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
