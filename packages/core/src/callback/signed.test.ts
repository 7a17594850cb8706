// The shared steps of WXBizMsgCrypt-style receivers (WeCom, Weiling), tested on core itself rather than only through
// the vendor packages: query reading, the freshness check on the injected clock, verify-then-decrypt, and the two
// replay keys a shared dedupe store (Redis) sees.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callbackOutcome, callbackOutcomeSync } from '../testing.js';
import type { DedupeStore } from './dedupe.js';
import { contentKey, createSignedCallbackFlow } from './signed.js';
import { WxBizMsgCrypt } from './wxbiz.js';

// WeCom's published sample receiver (doc 90968) and its URL-verification request.
const OFFICIAL = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const VERIFY = {
  msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const crypt = new WxBizMsgCrypt(OFFICIAL);
const AT_VERIFY = () => Number(VERIFY.timestamp) * 1000 + 400; // a clock at the sample's own second

function recordingStore() {
  const calls: [string, number][] = [];
  const seen = new Set<string>();
  const store: DedupeStore = {
    async checkAndSet(key, ttl) {
      calls.push([key, ttl]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  };
  return { store, calls };
}

describe('URL verification', () => {
  it('returns the plaintext of echostr for the official sample, on the injected clock', () => {
    const flow = createSignedCallbackFlow(crypt, { now: AT_VERIFY, dedupe: false }, 'wecom');
    expect(flow.verifyUrl(VERIFY)).toBe('1616140317555161061');
    expect(flow.verifyUrl(new URLSearchParams(VERIFY))).toBe('1616140317555161061');
  });

  it('refuses a missing echostr or signature, a stale timestamp, and a forged signature', () => {
    const flow = createSignedCallbackFlow(crypt, { now: AT_VERIFY, dedupe: false }, 'wecom');
    const { echostr: _e, ...noEcho } = VERIFY;
    expect(callbackOutcomeSync(() => flow.verifyUrl(noEcho))).toBe('missing-parameter');
    expect(() => flow.verifyUrl(noEcho)).toThrow(/query parameter echostr is missing/);
    expect(callbackOutcomeSync(() => flow.verifyUrl({ ...VERIFY, msg_signature: '' }))).toBe('missing-parameter');
    const later = createSignedCallbackFlow(crypt, { now: () => AT_VERIFY() + 301_000, dedupe: false }, 'wecom');
    expect(callbackOutcomeSync(() => later.verifyUrl(VERIFY))).toBe('stale-timestamp');
    expect(callbackOutcomeSync(() => flow.verifyUrl({ ...VERIFY, nonce: '1' }))).toBe('bad-signature');
  });

  it('uses the real clock when none is given (the 2014 sample is stale today)', () => {
    const flow = createSignedCallbackFlow(crypt, { dedupe: false }, 'wecom');
    expect(callbackOutcomeSync(() => flow.verifyUrl(VERIFY))).toBe('stale-timestamp');
  });
});

describe('a signed request', () => {
  it('reads msg_signature, timestamp and nonce and checks the timestamp', () => {
    const flow = createSignedCallbackFlow(crypt, { now: AT_VERIFY, dedupe: false }, 'wecom');
    expect(flow.request(VERIFY)).toEqual({ signature: VERIFY.msg_signature, timestamp: VERIFY.timestamp, nonce: VERIFY.nonce });
    expect(callbackOutcomeSync(() => flow.request({ msg_signature: 's', timestamp: VERIFY.timestamp }))).toBe('missing-parameter');
    expect(callbackOutcomeSync(() => flow.request({ msg_signature: 's', timestamp: '1', nonce: 'n' }))).toBe('stale-timestamp');
  });

  it('converts the timestamp to seconds for the freshness check only (Weiling sends milliseconds)', () => {
    const toSeconds = (t: string) => t.slice(0, -3);
    const flow = createSignedCallbackFlow(crypt, { now: AT_VERIFY, dedupe: false }, 'weiling', toSeconds);
    const ms = `${VERIFY.timestamp}123`;
    expect(flow.request({ msg_signature: 's', timestamp: ms, nonce: 'n' }).timestamp).toBe(ms);
    expect(
      callbackOutcomeSync(() =>
        createSignedCallbackFlow(crypt, { now: AT_VERIFY, dedupe: false }, 'weiling').request({
          msg_signature: 's',
          timestamp: ms,
          nonce: 'n',
        }),
      ),
    ).toBe('missing-parameter');
  });

  it('reads the body within maxBodyBytes', () => {
    const flow = createSignedCallbackFlow(crypt, { maxBodyBytes: 4 }, 'wecom');
    expect(flow.body('abcd')).toBe('abcd');
    expect(flow.body(Buffer.from('ab'))).toBe('ab');
    expect(callbackOutcomeSync(() => flow.body('abcde'))).toBe('too-large');
  });

  it('opens only a ciphertext whose signature verifies', () => {
    const flow = createSignedCallbackFlow(crypt, { dedupe: false }, 'wecom');
    const sealed = crypt.seal('<xml>hi</xml>', { timestamp: '1700000000', nonce: '42' });
    const signed = { signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce };
    expect(flow.open(signed, sealed.encrypted)).toBe('<xml>hi</xml>');
    expect(callbackOutcomeSync(() => flow.open({ ...signed, timestamp: '1700000001' }, sealed.encrypted))).toBe('bad-signature');
  });
});

describe('replay rejection', () => {
  const signed = { signature: 'a'.repeat(40), timestamp: '1700000000', nonce: '7' };

  it('records the request and the event under the vendor, for the default ttl', async () => {
    const { store, calls } = recordingStore();
    const flow = createSignedCallbackFlow(crypt, { dedupe: store }, 'wecom');
    await flow.rejectReplay(signed, 'msg:123');
    expect(calls).toEqual([
      [`scrm:wecom:callback:sig:${signed.signature}:7`, 600],
      ['scrm:wecom:callback:msg:123', 600],
    ]);
  });

  it('rejects the same request again, and the same event under a new signature', async () => {
    const flow = createSignedCallbackFlow(crypt, { dedupe: recordingStore().store }, 'wecom');
    await flow.rejectReplay(signed, 'msg:1');
    expect(await callbackOutcome(flow.rejectReplay(signed, 'msg:2'))).toBe('replayed');
    expect(await callbackOutcome(flow.rejectReplay({ ...signed, signature: 'b'.repeat(40) }, 'msg:1'))).toBe('replayed');
    expect(await callbackOutcome(flow.rejectReplay({ ...signed, nonce: '8' }, 'msg:3'))).toBe('accepted');
    await expect(flow.rejectReplay(signed, 'msg:1')).rejects.toThrow(/this callback was already delivered/);
  });

  it('does nothing with dedupe off', async () => {
    const flow = createSignedCallbackFlow(crypt, { dedupe: false }, 'wecom');
    await flow.rejectReplay(signed, 'msg:1');
    expect(await callbackOutcome(flow.rejectReplay(signed, 'msg:1'))).toBe('accepted');
  });

  it('remembers deliveries by default on the injected clock, for max(600, 2 × tolerance) seconds', async () => {
    let clock = 1_700_000_000_000;
    const flow = createSignedCallbackFlow(crypt, { toleranceSeconds: 400, now: () => clock }, 'wecom');
    await flow.rejectReplay(signed, 'msg:1');
    clock += 799_999;
    expect(await callbackOutcome(flow.rejectReplay(signed, 'msg:1'))).toBe('replayed');
    clock += 1;
    expect(await callbackOutcome(flow.rejectReplay(signed, 'msg:1'))).toBe('accepted');
  });
});

describe('contentKey', () => {
  it('is the SHA-1 of the plaintext, so the same event content gives the same key', () => {
    expect(contentKey('<xml/>')).toBe(`evt:${createHash('sha1').update('<xml/>').digest('hex')}`);
    expect(contentKey('<xml/>')).toMatch(/^evt:[0-9a-f]{40}$/);
    expect(contentKey('a')).not.toBe(contentKey('b'));
  });
});
