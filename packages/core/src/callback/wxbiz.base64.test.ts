// The ciphertext is read as strict standard Base64: padded or not, but nothing that Node's lenient decoder would
// quietly skip or translate (stray characters, the URL-safe alphabet) even when what is left still decrypts.
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callbackOutcomeSync } from '../testing.js';
import { WxBizMsgCrypt } from './wxbiz.js';

const OFFICIAL = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const crypt = new WxBizMsgCrypt(OFFICIAL);
const outcome = (text: string) => callbackOutcomeSync(() => crypt.decrypt(text));

/** A ciphertext of `message` whose Base64 contains every one of `chars` (found by trying fixed random prefixes). */
function ciphertextWith(message: string, chars: string[]): string {
  for (let seed = 0; seed < 10_000; seed++) {
    const random = Buffer.alloc(16);
    random.writeUInt32BE(seed);
    const text = crypt.encrypt(message, random);
    if (chars.every((c) => text.includes(c))) return text;
  }
  throw new Error('no such ciphertext');
}

describe('Base64 of the ciphertext', () => {
  it('reads padded Base64 and the same without its padding', () => {
    const padded = crypt.encrypt('x', Buffer.alloc(16, 3)); // 64 bytes: ends in ==
    expect(padded).toMatch(/[^=]==$/);
    expect(crypt.decrypt(padded)).toBe('x');
    expect(crypt.decrypt(padded.slice(0, -2))).toBe('x');
    expect(crypt.decrypt(padded.slice(0, -1))).toBe('x');
  });

  it('refuses stray characters that leave the decoded length whole', () => {
    const good = crypt.encrypt('x'.repeat(40), Buffer.alloc(16, 5)); // 96 bytes, 128 characters, no padding
    expect(outcome(good)).toBe('accepted');
    for (const stray of ['$$$$', '....', '    ', '\n\n\n\n', '!!!!!!!!']) {
      const text = `${good.slice(0, 60)}${stray}${good.slice(60)}`;
      expect(outcome(text), JSON.stringify(stray)).toBe('bad-ciphertext');
      expect(() => crypt.decrypt(text)).toThrow(/ciphertext is not Base64/);
    }
  });

  it('refuses the URL-safe alphabet, whether - or _ stands in', () => {
    const good = ciphertextWith('x'.repeat(40), ['+', '/']);
    expect(outcome(good)).toBe('accepted');
    expect(outcome(good.replaceAll('+', '-'))).toBe('bad-ciphertext');
    expect(outcome(good.replaceAll('/', '_'))).toBe('bad-ciphertext');
  });

  it('refuses padding anywhere but at the end', () => {
    const padded = crypt.encrypt('x', Buffer.alloc(16, 3));
    expect(outcome(`==${padded.slice(0, -2)}`)).toBe('bad-ciphertext');
  });
});

describe('a plaintext of padding only', () => {
  it('is a bad length (no header), not bad padding: a single block of 32 × 32', () => {
    const key = Buffer.from(`${OFFICIAL.encodingAESKey}=`, 'base64');
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    cipher.setAutoPadding(false);
    const text = Buffer.concat([cipher.update(Buffer.alloc(32, 32)), cipher.final()]).toString('base64');
    expect(outcome(text)).toBe('bad-length');
  });
});
