// The limits of a callback receiver are security checks: a value that is not a number in range must be refused when
// the receiver is built, not compared as it is (NaN > x is false, so NaN switched the timestamp window, or the body
// size limit, off without a word — what `Number(process.env.UNSET)` gives).
import { describe, expect, it } from 'vitest';
import { ScrmConfigError } from '../errors.js';
import { createJsonCallbackReceiver } from './json.js';
import { resolveSignedCallbackOptions } from './request.js';
import { createSignedCallbackFlow } from './signed.js';
import { WxBizMsgCrypt } from './wxbiz.js';

const crypt = new WxBizMsgCrypt({
  token: 'QDG6eK',
  encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: 'wx5823bf96d3bd56c7',
});

describe('signed-callback limits', () => {
  it.each([
    ['toleranceSeconds', Number.NaN],
    ['toleranceSeconds', -1],
    ['toleranceSeconds', Number.POSITIVE_INFINITY],
    ['maxBodyBytes', Number.NaN],
    ['maxBodyBytes', 0],
    ['maxBodyBytes', -1],
    ['dedupeTtlSeconds', Number.NaN],
    ['dedupeTtlSeconds', 0],
  ])('refuses %s = %s when the receiver is built', (name, value) => {
    expect(() => createSignedCallbackFlow(crypt, { [name]: value }, 'wecom')).toThrow(ScrmConfigError);
    expect(() => createSignedCallbackFlow(crypt, { [name]: value }, 'wecom')).toThrow(new RegExp(`wecom callback: option \`${name}\``));
  });

  it('keeps 0 as the documented way to switch the timestamp check off, and accepts the edges of the range', () => {
    expect(resolveSignedCallbackOptions({ toleranceSeconds: 0 }).tolerance).toBe(0);
    expect(resolveSignedCallbackOptions({ toleranceSeconds: 1, maxBodyBytes: 1, dedupeTtlSeconds: 1 })).toMatchObject({
      tolerance: 1,
      maxBody: 1,
      ttl: 1,
    });
    expect(resolveSignedCallbackOptions({ toleranceSeconds: 0.5 }).tolerance).toBe(0.5);
  });
});

describe('JSON callback limits', () => {
  const hooks = { vendor: 'juzibot', validators: {} };
  it.each([
    ['maxBodyBytes', Number.NaN],
    ['maxBodyBytes', -5],
    ['dedupeTtlSeconds', Number.NaN],
    ['dedupeTtlSeconds', 0],
  ])('refuses %s = %s when the receiver is built', (name, value) => {
    expect(() => createJsonCallbackReceiver({ [name]: value }, hooks)).toThrow(ScrmConfigError);
  });

  it('keeps its defaults and any positive value', () => {
    expect(() => createJsonCallbackReceiver({}, hooks)).not.toThrow();
    expect(() => createJsonCallbackReceiver({ maxBodyBytes: 10, dedupeTtlSeconds: 1 }, hooks)).not.toThrow();
  });
});
