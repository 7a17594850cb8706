// The callback crypto must stay WeCom's documented scheme: checked against WeCom's own Node package, @wecom/crypto,
// byte for byte, for every PKCS#7 padding length (1…32) and for signatures over arbitrary parts.
import * as wecom from '@wecom/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WxBizMsgCrypt } from './wxbiz.js';

const OFFICIAL = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const crypt = new WxBizMsgCrypt(OFFICIAL);
const random = Buffer.from('0123456789abcdef');

/** The PKCS#7 pad value WeCom uses for a message of `n` ASCII bytes to this receiver (header 20 bytes). */
const padFor = (n: number, receiveId = OFFICIAL.receiveId) => 32 - ((20 + n + Buffer.byteLength(receiveId)) % 32);

describe('agreement with @wecom/crypto', () => {
  // 38 bytes of header and receive id: message lengths 0…63 give every pad value from 1 to 32
  const lengths = Array.from({ length: 64 }, (_, n) => n);

  it('covers every pad value, 1 and 32 included', () => {
    expect(new Set(lengths.map((n) => padFor(n))).size).toBe(32);
    expect(padFor(25)).toBe(1);
    expect(padFor(26)).toBe(32);
  });

  it.each(lengths)('encrypts a %i-byte message to the same ciphertext, and each side decrypts the other', (n) => {
    const message = 'm'.repeat(n);
    const ours = crypt.encrypt(message, random);
    expect(ours).toBe(wecom.encrypt(OFFICIAL.encodingAESKey, message, OFFICIAL.receiveId, random));
    expect(wecom.decrypt(OFFICIAL.encodingAESKey, ours)).toEqual({ message, id: OFFICIAL.receiveId, random });
    const theirs = wecom.encrypt(OFFICIAL.encodingAESKey, message, OFFICIAL.receiveId);
    expect(crypt.decrypt(theirs)).toBe(message);
  });

  it('decrypts a message padded with a single byte (1) and one padded with a whole block (32 × 32)', () => {
    const one = wecom.encrypt(OFFICIAL.encodingAESKey, 'x'.repeat(25), OFFICIAL.receiveId, random);
    const block = wecom.encrypt(OFFICIAL.encodingAESKey, 'x'.repeat(26), OFFICIAL.receiveId, random);
    expect(Buffer.from(one, 'base64').length).toBe(64);
    expect(Buffer.from(block, 'base64').length).toBe(96);
    expect(crypt.decrypt(one)).toBe('x'.repeat(25));
    expect(crypt.decrypt(block)).toBe('x'.repeat(26));
  });

  it('handles multi-byte UTF-8 and an empty receive id the same way', () => {
    const noId = new WxBizMsgCrypt({ ...OFFICIAL, receiveId: '' });
    for (const message of ['企业微信回调', '<xml><Content><![CDATA[😀]]></Content></xml>', '']) {
      expect(crypt.encrypt(message, random)).toBe(wecom.encrypt(OFFICIAL.encodingAESKey, message, OFFICIAL.receiveId, random));
      expect(noId.encrypt(message, random)).toBe(wecom.encrypt(OFFICIAL.encodingAESKey, message, '', random));
      expect(noId.decrypt(wecom.encrypt(OFFICIAL.encodingAESKey, message, ''))).toBe(message);
    }
  });

  it('signs as WeCom does (SHA-1 over the sorted parts) for arbitrary timestamps, nonces and ciphertexts', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string({ minLength: 1 }), (timestamp, nonce, ciphertext, token) => {
        const signer = new WxBizMsgCrypt({ ...OFFICIAL, token });
        expect(signer.signature(timestamp, nonce, ciphertext)).toBe(wecom.getSignature(token, timestamp, nonce, ciphertext));
      }),
      { numRuns: 500 },
    );
    // parts that only sort right when compared in full (shared prefixes, digits against letters)
    for (const [timestamp, nonce, ciphertext] of [
      ['1409659589', '1409659', 'Q'],
      ['2', '10', 'QDG6eK'],
      ['QDG6eKa', 'QDG6e', 'QDG6eK'],
      ['b', 'a', 'c'],
      ['c', 'b', 'a'],
    ] as const) {
      expect(crypt.signature(timestamp, nonce, ciphertext)).toBe(wecom.getSignature(OFFICIAL.token, timestamp, nonce, ciphertext));
    }
  });
});
