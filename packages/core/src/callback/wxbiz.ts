/**
 * WeCom's callback encryption scheme (WXBizMsgCrypt), reused by vendors whose callbacks follow it.
 *
 * - signature: SHA-1 over the lexicographically sorted [token, timestamp, nonce, ciphertext], lowercase hex;
 * - key: Base64(EncodingAESKey + "=") → 32 bytes; AES-256-CBC with IV = the first 16 bytes of the key;
 * - padding: PKCS#7 with a 32-byte block (pad values 1…32);
 * - plaintext: 16 random bytes ‖ message length (uint32, big-endian) ‖ message ‖ receive id.
 *
 * Every failure is a `ScrmCallbackError` with a precise `reason`; nothing else escapes.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ScrmCallbackError, ScrmConfigError } from '../errors.js';

const BLOCK = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface WxBizMsgCryptOptions {
  /** The callback Token configured in the admin console. */
  token: string;
  /** The 43-character EncodingAESKey configured in the admin console. */
  encodingAESKey: string;
  /** Expected receive id: the corpid (self-built apps), the suite id (third-party suites), or '' where unused. */
  receiveId: string;
  /** Vendor name for errors. Default `wecom`. */
  vendor?: string;
}

export class WxBizMsgCrypt {
  readonly #token: string;
  readonly #key: Buffer;
  readonly #iv: Buffer;
  readonly #receiveId: string;
  readonly #receiveIdBytes: Buffer;
  readonly #vendor: string;

  constructor(options: WxBizMsgCryptOptions) {
    this.#vendor = options.vendor ?? 'wecom';
    if (typeof options.token !== 'string' || options.token === '') {
      throw new ScrmConfigError(`${this.#vendor} callback: option \`token\` is required`, this.#vendor);
    }
    if (typeof options.encodingAESKey !== 'string' || !/^[A-Za-z0-9+/]{43}$/.test(options.encodingAESKey)) {
      throw new ScrmConfigError(`${this.#vendor} callback: option \`encodingAESKey\` must be 43 Base64 characters`, this.#vendor);
    }
    if (typeof options.receiveId !== 'string') {
      throw new ScrmConfigError(`${this.#vendor} callback: option \`receiveId\` must be a string (the corpid, or '')`, this.#vendor);
    }
    this.#token = options.token;
    this.#key = Buffer.from(`${options.encodingAESKey}=`, 'base64');
    if (this.#key.length !== 32) {
      throw new ScrmConfigError(`${this.#vendor} callback: option \`encodingAESKey\` does not decode to 32 bytes`, this.#vendor);
    }
    this.#iv = this.#key.subarray(0, 16);
    this.#receiveId = options.receiveId;
    this.#receiveIdBytes = Buffer.from(options.receiveId, 'utf8');
  }

  /** The signature WeCom computes for a ciphertext. */
  signature(timestamp: string, nonce: string, ciphertext: string): string {
    return createHash('sha1')
      .update(sortedConcat([this.#token, timestamp, nonce, ciphertext]))
      .digest('hex');
  }

  /** Constant-time check of `msg_signature`; throws `bad-signature`. */
  verify(signature: string, timestamp: string, nonce: string, ciphertext: string): void {
    const expected = this.signature(timestamp, nonce, ciphertext);
    if (typeof signature !== 'string' || !constantTimeEqual(signature.toLowerCase(), expected)) {
      throw this.#reject('bad-signature', 'msg_signature does not match');
    }
  }

  /** Decrypts a ciphertext and checks padding, length and receive id. Returns the message (UTF-8). */
  decrypt(ciphertext: string): string {
    if (typeof ciphertext !== 'string') throw this.#reject('bad-ciphertext', 'ciphertext is not Base64');
    const data = Buffer.from(ciphertext, 'base64');
    if (!isWholeBase64(ciphertext, data.length) && !BASE64.test(ciphertext))
      throw this.#reject('bad-ciphertext', 'ciphertext is not Base64');
    if (data.length === 0 || data.length % BLOCK !== 0) {
      throw this.#reject('bad-ciphertext', `ciphertext length ${data.length} is not a multiple of ${BLOCK}`);
    }
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.#key, this.#iv);
      decipher.setAutoPadding(false);
      plain = decipher.update(data);
      const rest = decipher.final(); // empty: the input is whole blocks and padding is checked below
      if (rest.length > 0) plain = Buffer.concat([plain, rest]);
    } catch {
      throw this.#reject('bad-ciphertext', 'AES decryption failed');
    }
    const pad = plain[plain.length - 1] ?? 0;
    if (pad < 1 || pad > BLOCK || pad > plain.length) throw this.#reject('bad-padding', 'invalid PKCS#7 padding value');
    for (let i = plain.length - pad; i < plain.length; i++) {
      if (plain[i] !== pad) throw this.#reject('bad-padding', 'inconsistent PKCS#7 padding bytes');
    }
    const content = plain.subarray(0, plain.length - pad);
    if (content.length < 20) throw this.#reject('bad-length', 'plaintext shorter than its 20-byte header');
    const length = content.readUInt32BE(16);
    if (20 + length > content.length) throw this.#reject('bad-length', 'message length exceeds the plaintext');
    const receiveId = content.subarray(20 + length);
    const expected = this.#receiveIdBytes;
    if (receiveId.length !== expected.length || !timingSafeEqual(receiveId, expected)) {
      throw this.#reject('bad-receiver', 'the receive id does not match this receiver');
    }
    // invalid UTF-8 sequences become U+FFFD, as WeCom's own SDKs read them
    return content.toString('utf8', 20, 20 + length);
  }

  /** Encrypts a message for this receiver (replies, and test callbacks). */
  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    if (random.length !== 16) throw new RangeError('random prefix must be 16 bytes');
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length, 0);
    const content = Buffer.concat([random, length, body, Buffer.from(this.#receiveId, 'utf8')]);
    const pad = BLOCK - (content.length % BLOCK);
    const padded = Buffer.concat([content, Buffer.alloc(pad, pad)]);
    const cipher = createCipheriv('aes-256-cbc', this.#key, this.#iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  }

  /**
   * Encrypts `message` and signs it as the vendor does: what a reply or a test callback carries. The timestamp
   * defaults to now (unix seconds) and the nonce to a random one.
   */
  seal(message: string, at: { timestamp?: string; nonce?: string } = {}, now: () => number = Date.now) {
    const timestamp = at.timestamp ?? String(Math.floor(now() / 1000));
    const nonce = at.nonce ?? randomNonce();
    const encrypted = this.encrypt(message);
    return { encrypted, signature: this.signature(timestamp, nonce, encrypted), timestamp, nonce };
  }

  #reject(reason: ConstructorParameters<typeof ScrmCallbackError>[0], message: string): ScrmCallbackError {
    return new ScrmCallbackError(reason, message, this.#vendor);
  }
}

/**
 * Compares two strings without stopping at the first difference, so the time taken says nothing about how much of a
 * guessed secret was right (only its length: 40 hex digits for a signature).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * True when Node decoded every character of a padded Base64 string. Node's decoder skips characters outside the
 * alphabet (so the output comes up short) and also reads the URL-safe `-` and `_` (refused here), which makes this a
 * strict check without a regex pass over the whole ciphertext. Anything it refuses still gets the regex.
 */
function isWholeBase64(text: string, decodedLength: number): boolean {
  if (text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return decodedLength === (text.length / 4) * 3 - padding && !text.includes('-') && !text.includes('_');
}

/**
 * The parts sorted by UTF-16 code units (what `Array#sort` does with no comparator) and joined. An insertion sort of
 * four strings runs on every callback, and costs about a third of the generic sort.
 */
function sortedConcat(parts: string[]): string {
  for (let i = 1; i < parts.length; i++) {
    const value = parts[i] as string;
    let j = i - 1;
    while (j >= 0 && (parts[j] as string) > value) {
      parts[j + 1] = parts[j] as string;
      j--;
    }
    parts[j + 1] = value;
  }
  return parts.join('');
}

/**
 * Throws `stale-timestamp` unless `timestamp` (unix seconds, digits only) is within `toleranceSeconds` of now. The
 * window is counted in whole seconds, the timestamp's own resolution, and is inclusive: with a tolerance of 300 the
 * current second ± 300 s is accepted and ± 301 s refused, in both directions and whatever the clock's milliseconds.
 */
export function checkTimestamp(timestamp: string, toleranceSeconds: number, vendor: string, now: number = Date.now()): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new ScrmCallbackError('missing-parameter', 'timestamp must be unix seconds', vendor);
  if (toleranceSeconds > 0 && Math.abs(Math.floor(now / 1000) - Number(timestamp)) > toleranceSeconds) {
    throw new ScrmCallbackError('stale-timestamp', `timestamp is more than ${toleranceSeconds} s away from now`, vendor);
  }
}

/** A random nonce of digits, as WeCom sends. */
function randomNonce(): string {
  return String(randomBytes(4).readUInt32BE(0));
}
