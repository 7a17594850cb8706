import { describe, expect, it } from 'vitest';
import { callbackOutcomeSync } from '../testing.js';
import { callbackBodyText, requiredQueryParam, resolveSignedCallbackOptions } from './request.js';

describe('callback request helpers', () => {
  it('reads a query parameter from a record, a repeated value or URLSearchParams, and names the missing one', () => {
    expect(requiredQueryParam({ nonce: '42' }, 'nonce', 'wecom')).toBe('42');
    expect(requiredQueryParam({ nonce: ['1', '2'] }, 'nonce', 'wecom')).toBe('1');
    expect(requiredQueryParam(new URLSearchParams('nonce=7'), 'nonce', 'wecom')).toBe('7');
    expect(callbackOutcomeSync(() => requiredQueryParam({ nonce: '' }, 'nonce', 'wecom'))).toBe('missing-parameter');
    expect(() => requiredQueryParam(new URLSearchParams(), 'timestamp', 'weiling')).toThrow(/timestamp is missing/);
  });

  it('reads only the bytes of a Uint8Array view, counts bytes not characters, and refuses other bodies', () => {
    const bytes = Buffer.from('xx企业微信yy');
    expect(callbackBodyText(bytes.subarray(2, bytes.length - 2), 100, 'wecom')).toBe('企业微信');
    expect(callbackOutcomeSync(() => callbackBodyText('企业微信', 11, 'wecom'))).toBe('too-large'); // 12 bytes
    expect(callbackBodyText('企业微信', 12, 'wecom')).toBe('企业微信');
    expect(callbackOutcomeSync(() => callbackBodyText(new Uint8Array(13), 12, 'wecom'))).toBe('too-large');
    expect(callbackOutcomeSync(() => callbackBodyText({ Encrypt: 'x' }, 100, 'wecom'))).toBe('malformed-body');
    expect(callbackOutcomeSync(() => callbackBodyText(undefined, 100, 'wecom'))).toBe('malformed-body');
  });

  it('applies the replay-guard defaults, and keeps dedupe off when asked', () => {
    const d = resolveSignedCallbackOptions({});
    expect([d.tolerance, d.ttl, d.maxBody]).toEqual([300, 600, 1024 * 1024]);
    expect(d.dedupe).toBeDefined();
    expect(resolveSignedCallbackOptions({ toleranceSeconds: 900 }).ttl).toBe(1800);
    expect(resolveSignedCallbackOptions({ dedupe: false }).dedupe).toBeUndefined();
  });
});
