// The request helpers' edges: a byte limit that is inclusive for bytes as for strings, messages that give the
// sizes, and a framework that hands over no query object at all.
import { describe, expect, it } from 'vitest';
import { callbackOutcomeSync } from '../testing.js';
import { callbackBodyText, requiredQueryParam } from './request.js';

describe('callbackBodyText', () => {
  it('accepts bytes up to exactly the limit', () => {
    expect(callbackBodyText(new Uint8Array(12).fill(0x61), 12, 'wecom')).toBe('a'.repeat(12));
  });

  it('says how large the body was and what the limit is', () => {
    expect(() => callbackBodyText('abcdef', 5, 'wecom')).toThrow('body of 6 bytes exceeds 5');
    expect(() => callbackBodyText(new Uint8Array(7), 5, 'wecom')).toThrow('body of 7 bytes exceeds 5');
    expect(() => callbackBodyText(12, 5, 'wecom')).toThrow('body must be a string or bytes');
  });
});

describe('requiredQueryParam', () => {
  it('treats a missing query object as a missing parameter', () => {
    expect(callbackOutcomeSync(() => requiredQueryParam(undefined as never, 'nonce', 'wecom'))).toBe('missing-parameter');
  });

  it('refuses an empty first value of a repeated parameter', () => {
    expect(callbackOutcomeSync(() => requiredQueryParam({ nonce: ['', '2'] }, 'nonce', 'wecom'))).toBe('missing-parameter');
    expect(callbackOutcomeSync(() => requiredQueryParam({ nonce: [] }, 'nonce', 'wecom'))).toBe('missing-parameter');
  });
});
