// Boundaries of the callback checks: a signature that is almost the right one, and the timestamp window at its edges.
import { describe, expect, it } from 'vitest';
import { callbackOutcomeSync } from '../testing.js';
import { createSignedCallbackFlow } from './signed.js';
import { checkTimestamp, constantTimeEqual, WxBizMsgCrypt } from './wxbiz.js';

// WeCom's published sample receiver (doc 90968) and its URL-verification request.
const OFFICIAL = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const VERIFY = {
  msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const crypt = new WxBizMsgCrypt(OFFICIAL);
const verifyWith = (signature: string) => () => crypt.verify(signature, VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr);

describe('a signature close to the right one', () => {
  const right = VERIFY.msg_signature;

  it('is accepted only when whole: every proper prefix is rejected', () => {
    expect(callbackOutcomeSync(verifyWith(right))).toBe('accepted');
    for (let length = 0; length < right.length; length++) {
      expect(callbackOutcomeSync(verifyWith(right.slice(0, length))), `prefix of ${length} characters`).toBe('bad-signature');
    }
  });

  it('is rejected with anything appended (or prepended), whatever lowercasing does to it', () => {
    for (const extra of ['0', 'f', right, ' ', '\u0000', 'A', '\u0130']) {
      expect(callbackOutcomeSync(verifyWith(right + extra)), `right + ${JSON.stringify(extra)}`).toBe('bad-signature');
    }
    expect(callbackOutcomeSync(verifyWith(` ${right}`))).toBe('bad-signature');
  });

  it('is rejected with one character changed at either end', () => {
    const flip = (c: string) => (c === '0' ? '1' : '0');
    expect(callbackOutcomeSync(verifyWith(flip(right[0]!) + right.slice(1)))).toBe('bad-signature');
    expect(callbackOutcomeSync(verifyWith(right.slice(0, -1) + flip(right.at(-1)!)))).toBe('bad-signature');
  });

  it('is rejected the same way through the signed-callback flow (the path WeCom and Weiling receivers take)', () => {
    const flow = createSignedCallbackFlow(crypt, { toleranceSeconds: 0, dedupe: false }, 'wecom');
    const signed = (signature: string) => ({ signature, timestamp: VERIFY.timestamp, nonce: VERIFY.nonce });
    expect(flow.open(signed(right), VERIFY.echostr)).toBe('1616140317555161061');
    expect(callbackOutcomeSync(() => flow.open(signed(right.slice(0, -1)), VERIFY.echostr))).toBe('bad-signature');
    expect(callbackOutcomeSync(() => flow.open(signed(`${right}0`), VERIFY.echostr))).toBe('bad-signature');
    expect(callbackOutcomeSync(() => flow.verifyUrl({ ...VERIFY, msg_signature: right.slice(0, 20) }))).toBe('bad-signature');
  });

  it('constantTimeEqual says equal only for equal strings, not for a prefix either way', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('the timestamp window', () => {
  // The boundary is inclusive and counted in whole seconds, the timestamp's own resolution: a timestamp exactly
  // `tolerance` seconds away from the current second is accepted, one second further is refused, in both directions
  // and whatever the milliseconds of the clock.
  const tolerance = 300;
  const T = 1_700_000_000; // the current second

  it.each([0, 1, 500, 999])('accepts ±tolerance and refuses ±(tolerance + 1 s) at %i ms into the second', (ms) => {
    const now = T * 1000 + ms;
    const outcome = (offset: number) => callbackOutcomeSync(() => checkTimestamp(String(T + offset), tolerance, 'wecom', now));
    expect(outcome(0)).toBe('accepted');
    expect(outcome(-tolerance)).toBe('accepted');
    expect(outcome(+tolerance)).toBe('accepted');
    expect(outcome(-tolerance - 1)).toBe('stale-timestamp');
    expect(outcome(+tolerance + 1)).toBe('stale-timestamp');
  });

  it('applies the same window to signed callback requests', () => {
    let clock = T * 1000 + 750;
    const flow = createSignedCallbackFlow(crypt, { toleranceSeconds: tolerance, now: () => clock, dedupe: false }, 'wecom');
    const at = (timestamp: number) => () => flow.request({ msg_signature: 'x', timestamp: String(timestamp), nonce: '1' });
    expect(callbackOutcomeSync(at(T - tolerance))).toBe('accepted');
    expect(callbackOutcomeSync(at(T + tolerance))).toBe('accepted');
    expect(callbackOutcomeSync(at(T - tolerance - 1))).toBe('stale-timestamp');
    expect(callbackOutcomeSync(at(T + tolerance + 1))).toBe('stale-timestamp');
    // one second later the oldest accepted timestamp is refused
    clock += 1000;
    expect(callbackOutcomeSync(at(T - tolerance))).toBe('stale-timestamp');
    expect(callbackOutcomeSync(at(T + 1 - tolerance))).toBe('accepted');
  });

  it('keeps a tolerance of 1 s meaning the current second and its two neighbours', () => {
    const now = T * 1000 + 999;
    expect(callbackOutcomeSync(() => checkTimestamp(String(T - 1), 1, 'wecom', now))).toBe('accepted');
    expect(callbackOutcomeSync(() => checkTimestamp(String(T + 1), 1, 'wecom', now))).toBe('accepted');
    expect(callbackOutcomeSync(() => checkTimestamp(String(T - 2), 1, 'wecom', now))).toBe('stale-timestamp');
    expect(callbackOutcomeSync(() => checkTimestamp(String(T + 2), 1, 'wecom', now))).toBe('stale-timestamp');
  });
});
