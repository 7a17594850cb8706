import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { callbackOutcome, webhookExamples } from '@scrm-openapi/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWeilingCallback, createWeilingCallbackSigner, type WeilingCallbackOptions } from './callback.js';

const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@scrm-openapi/weiling-spec/openapi.json'), 'utf8'));
const examples = webhookExamples(spec);

const NOW = 1_700_000_000_000;
const CONFIG = {
  token: 'weilingCallbackToken01',
  encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  appId: 'wloa4376fe67dc041d474a79513ed70ae3db',
  now: () => NOW,
};
const signer = createWeilingCallbackSigner(CONFIG);
const receiver = (extra: Partial<WeilingCallbackOptions> = {}) => createWeilingCallback({ ...CONFIG, ...extra });

describe('Weiling callbacks', () => {
  it.each(Object.keys(examples))('round-trips the documented %s event', async (key) => {
    const { query, body } = signer.event(examples[key]);
    const parsed = await receiver().parse(query, body);
    expect(parsed.payload).toEqual(examples[key]);
    // events with a known event_type are recognised by it
    const type = (examples[key] as { header?: { event_type?: string } }).header?.event_type;
    if (type === key) expect(parsed.key).toBe(key);
  });

  it('narrows the payload by key', async () => {
    const { query, body } = signer.event(examples.add_customer);
    const parsed = await receiver().parse(query, body);
    if (parsed.key === 'add_customer') expect(parsed.payload.event).toBeDefined();
    expect(parsed.key).toBe('add_customer');
  });

  it('answers URL verification with the decrypted echostr', () => {
    expect(receiver().verifyUrl(signer.urlVerification('weiling-echo').query)).toBe('weiling-echo');
  });

  it('accepts a millisecond timestamp in the query', async () => {
    const { query, body } = signer.event(examples.add_customer, { timestamp: String(NOW) });
    expect(await callbackOutcome(receiver().parse(query, body))).toBe('accepted');
  });

  it.each(['msg_signature', 'timestamp', 'nonce'] as const)('rejects a tampered %s', async (field) => {
    const { query, body } = signer.event(examples.add_customer);
    const forged = { ...query, [field]: field === 'timestamp' ? String(Number(query.timestamp) + 1) : `${query[field]}0` };
    expect(await callbackOutcome(receiver().parse(forged, body))).toBe('bad-signature');
  });

  it('rejects another app id, a stale timestamp, a replay and a payload that breaks the spec', async () => {
    const other = createWeilingCallbackSigner({ ...CONFIG, appId: 'wloaSomeoneElse' }).event(examples.add_customer);
    expect(await callbackOutcome(receiver().parse(other.query, other.body))).toBe('bad-receiver');
    const stale = signer.event(examples.add_customer, { timestamp: String(NOW / 1000 - 3600) });
    expect(await callbackOutcome(receiver().parse(stale.query, stale.body))).toBe('stale-timestamp');
    const r = receiver();
    const once = signer.event(examples.add_customer);
    await r.parse(once.query, once.body);
    expect(await callbackOutcome(r.parse(once.query, once.body))).toBe('replayed');
    const broken = signer.event({ header: { event_type: 'add_customer' }, event: 'not an object' });
    expect(await callbackOutcome(receiver().parse(broken.query, broken.body))).toBe('invalid-payload');
  });

  it('only ever throws ScrmCallbackError (fuzz)', async () => {
    const r = receiver({ dedupe: false, toleranceSeconds: 0 });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.jsonValue().map((v) => ({ header: { event_type: 'add_customer' }, event: v })),
        ),
        fc.boolean(),
        async (content, unsigned) => {
          const signed =
            typeof content === 'string' && unsigned
              ? { query: { msg_signature: 'x', timestamp: '1', nonce: '1' }, body: content }
              : signer.event(content);
          expect(await callbackOutcome(r.parse(signed.query, signed.body))).not.toMatch(/^not a callback error/);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
