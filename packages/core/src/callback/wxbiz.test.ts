import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScrmConfigError } from '../errors.js';
import { callbackOutcomeSync } from '../testing.js';
import { MemoryDedupeStore } from './dedupe.js';
import { checkTimestamp, WxBizMsgCrypt } from './wxbiz.js';

// The public sample vector of WeCom's callback documentation (doc 90968) and its official sample programs.
const OFFICIAL = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const VERIFY = {
  msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const POST = {
  msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
};

const crypt = new WxBizMsgCrypt(OFFICIAL);
const key = Buffer.from(`${OFFICIAL.encodingAESKey}=`, 'base64');

/** Encrypts raw plaintext bytes with the receiver's key and no padding of ours (to forge bad paddings and lengths). */
function rawEncrypt(plain: Buffer): string {
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

function plaintext(message: string, receiveId: string, pad?: (n: number) => Buffer, lengthOverride?: number) {
  const body = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(lengthOverride ?? body.length);
  const content = Buffer.concat([Buffer.alloc(16, 7), len, body, Buffer.from(receiveId)]);
  const n = 32 - (content.length % 32);
  return Buffer.concat([content, pad ? pad(n) : Buffer.alloc(n, n)]);
}

describe('WxBizMsgCrypt', () => {
  it('verifies and decrypts the official URL-verification vector', () => {
    crypt.verify(VERIFY.msg_signature, VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr);
    expect(crypt.decrypt(VERIFY.echostr)).toBe('1616140317555161061');
  });

  it('verifies and decrypts the official event vector', () => {
    crypt.verify(POST.msg_signature, POST.timestamp, POST.nonce, POST.encrypt);
    const xml = crypt.decrypt(POST.encrypt);
    expect(xml).toMatch(/^<xml>/);
    expect(xml).toContain('<ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>');
  });

  it('round-trips its own encryption', () => {
    const encrypted = crypt.encrypt('你好, 企业微信 <xml/>');
    expect(crypt.decrypt(encrypted)).toBe('你好, 企业微信 <xml/>');
  });

  it('rejects a wrong signature in constant time, whatever its length', () => {
    expect(callbackOutcomeSync(() => crypt.verify('0'.repeat(40), VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr))).toBe('bad-signature');
    expect(callbackOutcomeSync(() => crypt.verify('short', VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr))).toBe('bad-signature');
    expect(callbackOutcomeSync(() => crypt.verify(VERIFY.msg_signature, VERIFY.timestamp, '1', VERIFY.echostr))).toBe('bad-signature');
  });

  it.each([
    [
      'padding value 0',
      plaintext('hi', OFFICIAL.receiveId, (n) => Buffer.concat([Buffer.alloc(n - 1, n), Buffer.from([0])])),
      'bad-padding',
    ],
    [
      'padding value 33',
      plaintext('hi', OFFICIAL.receiveId, (n) => Buffer.concat([Buffer.alloc(n - 1, n), Buffer.from([33])])),
      'bad-padding',
    ],
    [
      'inconsistent padding bytes',
      plaintext('hi', OFFICIAL.receiveId, (n) => Buffer.concat([Buffer.alloc(n - 1, 1), Buffer.from([n])])),
      'bad-padding',
    ],
    ['a length past the end', plaintext('hi', OFFICIAL.receiveId, undefined, 4096), 'bad-length'],
    ['another receiver', plaintext('hi', 'wwSomeoneElse'), 'bad-receiver'],
    ['a truncated receiver', plaintext('hi', OFFICIAL.receiveId.slice(0, -1)), 'bad-receiver'],
  ])('rejects %s', (_name, plain, reason) => {
    expect(callbackOutcomeSync(() => crypt.decrypt(rawEncrypt(plain)))).toBe(reason);
  });

  it('rejects ciphertext that is not Base64 or not whole blocks', () => {
    expect(callbackOutcomeSync(() => crypt.decrypt('not base64!'))).toBe('bad-ciphertext');
    expect(callbackOutcomeSync(() => crypt.decrypt(Buffer.alloc(20).toString('base64')))).toBe('bad-ciphertext');
  });

  it('refuses URL-safe or damaged Base64 that Node alone would decode quietly', () => {
    // a fixed random prefix whose ciphertext has a + or / to swap for its URL-safe twin
    let seed = 0;
    let good = '';
    do good = crypt.encrypt('x'.repeat(40), Buffer.alloc(16, seed++));
    while (!/[+/]/.test(good));
    const urlSafe = good.replace(/\+/g, '-').replace(/\//g, '_');
    const withSpace = `${good.slice(0, 8)} ${good.slice(8)}`;
    const withStray = `${good.slice(0, -4)}$${good.slice(-3)}`; // same length, one character outside the alphabet
    expect(urlSafe).not.toBe(good);
    for (const text of [urlSafe, withSpace, withStray]) expect(callbackOutcomeSync(() => crypt.decrypt(text))).toBe('bad-ciphertext');
    // unpadded Base64 is still read (the regex path), and uppercase signatures still verify
    expect(crypt.decrypt(good.replace(/=+$/, ''))).toBe('x'.repeat(40));
    expect(() => crypt.verify(VERIFY.msg_signature.toUpperCase(), VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr)).not.toThrow();
  });

  it('refuses a malformed EncodingAESKey at construction', () => {
    expect(() => new WxBizMsgCrypt({ ...OFFICIAL, encodingAESKey: 'short' })).toThrow(ScrmConfigError);
    expect(() => new WxBizMsgCrypt({ ...OFFICIAL, token: '' })).toThrow(ScrmConfigError);
  });

  it('only ever throws ScrmCallbackError while decrypting arbitrary input (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b).toString('base64')),
        ),
        (input) => {
          const r = callbackOutcomeSync(() => crypt.decrypt(input));
          expect(r.startsWith('not a callback error')).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('only ever throws ScrmCallbackError for arbitrary plaintexts under the right key (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const padded = Buffer.concat([Buffer.from(bytes), Buffer.alloc((32 - (bytes.length % 32)) % 32)]);
        const r = callbackOutcomeSync(() => crypt.decrypt(rawEncrypt(padded)));
        expect(r.startsWith('not a callback error')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('checkTimestamp', () => {
  it('accepts timestamps inside the window and rejects stale or future ones', () => {
    const now = 1_700_000_000_000;
    expect(() => checkTimestamp('1700000000', 300, 'wecom', now)).not.toThrow();
    expect(callbackOutcomeSync(() => checkTimestamp('1699999000', 300, 'wecom', now))).toBe('stale-timestamp');
    expect(callbackOutcomeSync(() => checkTimestamp('1700001000', 300, 'wecom', now))).toBe('stale-timestamp');
    expect(callbackOutcomeSync(() => checkTimestamp('17e8', 300, 'wecom', now))).toBe('missing-parameter');
    expect(() => checkTimestamp('1', 0, 'wecom', now)).not.toThrow();
  });
});

describe('MemoryDedupeStore', () => {
  it('says a key is new once per ttl', async () => {
    let clock = 0;
    const store = new MemoryDedupeStore({ now: () => clock });
    expect(await store.checkAndSet('a', 10)).toBe(true);
    expect(await store.checkAndSet('a', 10)).toBe(false);
    clock = 11_000;
    expect(await store.checkAndSet('a', 10)).toBe(true);
  });

  it('stays bounded', async () => {
    const store = new MemoryDedupeStore({ maxKeys: 10 });
    for (let i = 0; i < 100; i++) await store.checkAndSet(`k${i}`, 60);
    expect(await store.checkAndSet('k99', 60)).toBe(false);
    expect(await store.checkAndSet('k0', 60)).toBe(true);
  });
});
