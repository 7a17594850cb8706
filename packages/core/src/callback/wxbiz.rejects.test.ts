// How WxBizMsgCrypt refuses what it must refuse: each forged plaintext, option and parameter meets its own reason,
// with its vendor on the error, and the edges just inside each check are still accepted.
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScrmCallbackError } from '../errors.js';
import { callbackOutcomeSync } from '../testing.js';
import { checkTimestamp, WxBizMsgCrypt } from './wxbiz.js';

const OFFICIAL = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const crypt = new WxBizMsgCrypt(OFFICIAL);
const noId = new WxBizMsgCrypt({ ...OFFICIAL, receiveId: '' });
const key = Buffer.from(`${OFFICIAL.encodingAESKey}=`, 'base64');

/** AES-256-CBC of raw bytes (whole blocks) under the receiver's key, no padding of ours: for forged plaintexts. */
function rawEncrypt(plain: Buffer): string {
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** 16 random bytes ‖ uint32 length ‖ message ‖ receive id, unpadded. */
function content(message: string, receiveId: string, length = Buffer.byteLength(message)): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(length);
  return Buffer.concat([Buffer.alloc(16, 9), len, Buffer.from(message), Buffer.from(receiveId)]);
}

/** `content` padded to whole 32-byte blocks with `pad` bytes, each set by `byte(i)` (default: the pad value). */
function padded(body: Buffer, byte?: (i: number, pad: number) => number): Buffer {
  const pad = 32 - (body.length % 32);
  return Buffer.concat([body, Buffer.from(Array.from({ length: pad }, (_, i) => (byte ? byte(i, pad) : pad)))]);
}

const outcome = (c: WxBizMsgCrypt, plain: Buffer) => callbackOutcomeSync(() => c.decrypt(rawEncrypt(plain)));

describe('PKCS#7 padding', () => {
  // 'x' × 25 to this receiver is 63 bytes: one byte of padding; 'x' × 26 is 64: a whole block of 32s
  const one = content('x'.repeat(25), OFFICIAL.receiveId);
  const block = content('x'.repeat(26), OFFICIAL.receiveId);

  it('accepts one byte of padding and a whole block of it', () => {
    expect(outcome(crypt, padded(one))).toBe('accepted');
    expect(outcome(crypt, padded(block))).toBe('accepted');
    expect(crypt.decrypt(rawEncrypt(padded(block)))).toBe('x'.repeat(26));
  });

  it.each([
    ['0', 0],
    ['33', 33],
    ['64', 64],
    ['255', 255],
  ])('refuses a last byte of %s (outside 1…32)', (_name, last) => {
    const plain = padded(block);
    plain[plain.length - 1] = last;
    expect(outcome(crypt, plain)).toBe('bad-padding');
  });

  it.each([0, 1, 15, 30])('refuses a block of 32s with byte %i of the padding changed', (at) => {
    expect(
      outcome(
        crypt,
        padded(block, (i, pad) => (i === at ? pad - 1 : pad)),
      ),
    ).toBe('bad-padding');
  });

  it('refuses padding whose first byte alone is wrong', () => {
    const body = content('hi', OFFICIAL.receiveId); // 40 bytes: 24 bytes of padding
    expect(
      outcome(
        crypt,
        padded(body, (i, pad) => (i === 0 ? 0 : pad)),
      ),
    ).toBe('bad-padding');
    expect(outcome(crypt, padded(body))).toBe('accepted');
  });

  it('says which check failed', () => {
    const plain = padded(block);
    plain[plain.length - 1] = 0;
    expect(() => crypt.decrypt(rawEncrypt(plain))).toThrow(/invalid PKCS#7 padding value/);
    expect(() => crypt.decrypt(rawEncrypt(padded(block, (i, pad) => (i === 0 ? 1 : pad))))).toThrow(/inconsistent PKCS#7 padding bytes/);
  });
});

describe('message length and receive id', () => {
  it('refuses a plaintext shorter than its 20-byte header, and reads one of exactly 20 bytes', () => {
    const short = Buffer.concat([Buffer.alloc(19, 1), Buffer.alloc(13, 13)]);
    expect(outcome(noId, short)).toBe('bad-length');
    expect(() => noId.decrypt(rawEncrypt(short))).toThrow(/shorter than its 20-byte header/);
    expect(outcome(noId, padded(content('', '')))).toBe('accepted');
    expect(noId.decrypt(rawEncrypt(padded(content('', ''))))).toBe('');
  });

  it('accepts a length that reaches exactly the end and refuses one byte more', () => {
    const message = 'hello';
    // with no receive id the message ends where the plaintext does
    expect(noId.decrypt(rawEncrypt(padded(content(message, ''))))).toBe(message);
    expect(outcome(noId, padded(content(message, '', 6)))).toBe('bad-length');
    expect(() => noId.decrypt(rawEncrypt(padded(content(message, '', 6))))).toThrow(/message length exceeds the plaintext/);
    // the length decides where the receive id starts
    expect(outcome(crypt, padded(content(message, OFFICIAL.receiveId, 4)))).toBe('bad-receiver');
  });

  it.each([
    ['one character changed', 'wx5823bf96d3bd56c8'],
    ['the first character changed', 'Wx5823bf96d3bd56c7'],
    ['one character more', `${OFFICIAL.receiveId}0`],
    ['one character less', OFFICIAL.receiveId.slice(1)],
    ['none', ''],
  ])('refuses a receive id with %s', (_name, receiveId) => {
    expect(outcome(crypt, padded(content('hi', receiveId)))).toBe('bad-receiver');
    expect(() => crypt.decrypt(rawEncrypt(padded(content('hi', receiveId))))).toThrow(/receive id does not match/);
  });

  it('refuses any receive id when it expects none', () => {
    expect(outcome(noId, padded(content('hi', OFFICIAL.receiveId)))).toBe('bad-receiver');
  });
});

describe('ciphertext and signature input', () => {
  it.each([
    ['empty', ''],
    ['one 16-byte AES block', Buffer.alloc(16).toString('base64')],
    ['48 bytes', Buffer.alloc(48).toString('base64')],
  ])('refuses a ciphertext that is %s (not whole 32-byte blocks)', (_name, text) => {
    expect(callbackOutcomeSync(() => crypt.decrypt(text))).toBe('bad-ciphertext');
  });

  it('names the length it refused', () => {
    expect(() => crypt.decrypt(Buffer.alloc(48).toString('base64'))).toThrow('ciphertext length 48 is not a multiple of 32');
    expect(() => crypt.decrypt('')).toThrow('ciphertext length 0 is not a multiple of 32');
  });

  it('refuses a ciphertext or a signature that is not a string with its reason, not a TypeError', () => {
    expect(callbackOutcomeSync(() => crypt.decrypt(undefined as unknown as string))).toBe('bad-ciphertext');
    expect(callbackOutcomeSync(() => crypt.decrypt(42 as unknown as string))).toBe('bad-ciphertext');
    const ciphertext = crypt.encrypt('x');
    expect(callbackOutcomeSync(() => crypt.verify(undefined as unknown as string, '1', '2', ciphertext))).toBe('bad-signature');
    expect(() => crypt.verify('0'.repeat(40), '1', '2', ciphertext)).toThrow('msg_signature does not match');
  });

  it('refuses Base64 with a character outside the alphabet in the middle, padded or not', () => {
    const good = crypt.encrypt('y'.repeat(30), Buffer.alloc(16, 1));
    const chars = good.replace(/=+$/, '');
    for (const bad of [`${chars.slice(0, 10)}.${chars.slice(11)}`, `${chars.slice(0, 10)}*${chars.slice(10)}`, `=${chars}`]) {
      expect(
        callbackOutcomeSync(() => crypt.decrypt(bad)),
        bad,
      ).toBe('bad-ciphertext');
    }
  });
});

describe('errors carry the vendor', () => {
  it('is wecom by default and the configured vendor otherwise', () => {
    const error = (c: WxBizMsgCrypt) => {
      try {
        c.decrypt('');
      } catch (e) {
        return e as ScrmCallbackError;
      }
      throw new Error('not rejected');
    };
    expect(error(crypt)).toMatchObject({ reason: 'bad-ciphertext', vendor: 'wecom' });
    expect(error(new WxBizMsgCrypt({ ...OFFICIAL, vendor: 'weiling' }))).toMatchObject({ reason: 'bad-ciphertext', vendor: 'weiling' });
  });
});

describe('encrypt and seal', () => {
  it('insists on a 16-byte random prefix', () => {
    expect(() => crypt.encrypt('x', Buffer.alloc(15))).toThrow(RangeError);
    expect(() => crypt.encrypt('x', Buffer.alloc(17))).toThrow('random prefix must be 16 bytes');
    expect(() => crypt.encrypt('x', Buffer.alloc(16))).not.toThrow();
  });

  it('uses a fresh random prefix by default', () => {
    expect(crypt.encrypt('same')).not.toBe(crypt.encrypt('same'));
  });

  it('seals with the clock in unix seconds and a numeric nonce by default, and what it seals opens', () => {
    const sealed = crypt.seal('<xml/>', {}, () => 1_700_000_000_999);
    expect(sealed.timestamp).toBe('1700000000');
    expect(sealed.nonce).toMatch(/^\d+$/);
    expect(sealed.signature).toBe(crypt.signature(sealed.timestamp, sealed.nonce, sealed.encrypted));
    expect(() => crypt.verify(sealed.signature, sealed.timestamp, sealed.nonce, sealed.encrypted)).not.toThrow();
    expect(crypt.decrypt(sealed.encrypted)).toBe('<xml/>');
  });

  it('seals with the given timestamp and nonce, and a different nonce each time otherwise', () => {
    const sealed = crypt.seal('m', { timestamp: '123', nonce: 'abc' });
    expect(sealed).toMatchObject({ timestamp: '123', nonce: 'abc' });
    expect(sealed.signature).toBe(crypt.signature('123', 'abc', sealed.encrypted));
    const nonces = new Set(Array.from({ length: 5 }, () => crypt.seal('m').nonce));
    expect(nonces.size).toBeGreaterThan(1);
    const now = Math.floor(Date.now() / 1000);
    expect(Math.abs(Number(crypt.seal('m').timestamp) - now)).toBeLessThanOrEqual(1);
  });
});

describe('checkTimestamp input', () => {
  const now = 1_700_000_000_000;
  it.each(['', ' 1700000000', '1700000000 ', '1700000000.5', '-1', '1'.repeat(13), 'x1700000000'])(
    'refuses %j as not unix seconds',
    (timestamp) => {
      expect(callbackOutcomeSync(() => checkTimestamp(timestamp, 0, 'wecom', now))).toBe('missing-parameter');
    },
  );

  it('accepts up to 12 digits when the window is off, and names the window when stale', () => {
    expect(callbackOutcomeSync(() => checkTimestamp('9'.repeat(12), 0, 'wecom', now))).toBe('accepted');
    expect(callbackOutcomeSync(() => checkTimestamp('0', 0, 'wecom', now))).toBe('accepted');
    expect(() => checkTimestamp('1', 300, 'weiling', now)).toThrow('timestamp is more than 300 s away from now');
    expect(() => checkTimestamp('x', 300, 'weiling', now)).toThrow('timestamp must be unix seconds');
  });
});
