import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScrmCallbackError } from '../errors.js';
import { callbackOutcome } from '../testing.js';
import { createJsonCallbackReceiver, type PayloadValidator } from './json.js';
import { MemoryDedupeStore } from './dedupe.js';

const message: PayloadValidator = Object.assign(
  (value: unknown) => {
    const ok = typeof (value as { messageId?: unknown }).messageId === 'string';
    message.errors = ok ? null : [{ instancePath: '/messageId', message: 'must be string' }];
    return ok;
  },
  { errors: null },
);

const receiver = (options = {}) =>
  createJsonCallbackReceiver(options, {
    vendor: 'demo',
    validators: { message },
    idOf: (_key, p) => (typeof p.messageId === 'string' ? p.messageId : undefined),
    verify: (_key, p) => {
      if (p.token !== undefined && p.token !== 'expected') throw new ScrmCallbackError('bad-token', 'token mismatch', 'demo');
    },
  });

describe('JSON callback receiver', () => {
  it('parses a valid delivery and rejects its re-delivery', async () => {
    const r = receiver();
    expect(await r.parse('message', JSON.stringify({ messageId: 'm1' }))).toEqual({ messageId: 'm1' });
    expect(await callbackOutcome(r.parse('message', JSON.stringify({ messageId: 'm1', extra: 1 })))).toBe('replayed');
  });

  it('shares dedupe through a store and can be switched off', async () => {
    const dedupe = new MemoryDedupeStore();
    await receiver({ dedupe }).parse('message', '{"messageId":"m2"}');
    expect(await callbackOutcome(receiver({ dedupe }).parse('message', '{"messageId":"m2"}'))).toBe('replayed');
    expect(await callbackOutcome(receiver({ dedupe: false }).parse('message', '{"messageId":"m2"}'))).toBe('accepted');
  });

  it('checks the secret path when configured', async () => {
    const r = receiver({ secretPath: '/hooks/demo/s3cr3t' });
    expect(await callbackOutcome(r.parse('message', '{"messageId":"a"}', { path: '/hooks/demo/s3cr3t?x=1' }))).toBe('accepted');
    expect(await callbackOutcome(r.parse('message', '{"messageId":"b"}', { path: 'https://h.test/hooks/demo/s3cr3t' }))).toBe('accepted');
    expect(await callbackOutcome(r.parse('message', '{"messageId":"c"}', { path: '/hooks/demo/guess' }))).toBe('bad-secret-path');
    expect(await callbackOutcome(r.parse('message', '{"messageId":"d"}'))).toBe('bad-secret-path');
  });

  it('names the failing field but never its value', async () => {
    const error = await receiver()
      .parse('message', JSON.stringify({ messageId: 42, phone: '13800000000' }))
      .catch((e: unknown) => e as ScrmCallbackError);
    expect(error).toMatchObject({ reason: 'invalid-payload', status: 400 });
    expect((error as Error).message).toContain('/messageId');
    expect((error as Error).message).not.toContain('13800000000');
  });

  it('runs vendor checks', async () => {
    expect(await callbackOutcome(receiver().parse('message', '{"messageId":"t","token":"forged"}'))).toBe('bad-token');
  });

  it('rejects bodies that are not JSON objects, or too large', async () => {
    expect(await callbackOutcome(receiver().parse('message', 'nope'))).toBe('malformed-body');
    expect(await callbackOutcome(receiver().parse('message', '[1]'))).toBe('malformed-body');
    expect(await callbackOutcome(receiver({ maxBodyBytes: 5 }).parse('message', '{"messageId":"long"}'))).toBe('too-large');
    expect(await callbackOutcome(receiver().parse('other' as 'message', '{}'))).toBe('invalid-payload');
  });

  it('only ever throws ScrmCallbackError (fuzz)', async () => {
    const r = receiver({ dedupe: false });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (body) => {
        expect(await callbackOutcome(r.parse('message', body))).not.toMatch(/^not a callback error/);
      }),
      { numRuns: 2000 },
    );
  });
});
