/**
 * The steps every WXBizMsgCrypt-style callback receiver takes (WeCom, Weiling), around the vendor's own envelope
 * (an XML `<Encrypt>` element, a JSON `encrypt_msg` field) and payload: read and date-check the signed query,
 * verify and decrypt, and reject replays. Vendor packages keep only what is theirs.
 */
import { createHash } from 'node:crypto';
import { ScrmCallbackError } from '../errors.js';
import {
  callbackBodyText,
  requiredQueryParam,
  resolveSignedCallbackOptions,
  type CallbackQuery,
  type SignedCallbackOptions,
} from './request.js';
import { checkTimestamp, type WxBizMsgCrypt } from './wxbiz.js';

/** The signed parameters of one callback request. */
export interface SignedRequest {
  signature: string;
  timestamp: string;
  nonce: string;
}

export interface SignedCallbackFlow {
  /** URL verification (the GET sent when the callback URL is saved): checks `echostr` and returns its plaintext. */
  verifyUrl(query: CallbackQuery): string;
  /** The request's `msg_signature`, `timestamp` and `nonce`, the timestamp checked against the clock. */
  request(query: CallbackQuery): SignedRequest;
  /** The body as text, within `maxBodyBytes`. */
  body(rawBody: unknown): string;
  /** Verifies the ciphertext's signature and decrypts it. */
  open(request: SignedRequest, ciphertext: string): string;
  /**
   * Rejects with `replayed` a request seen before (same signature and nonce) or an event delivered before (same
   * `eventKey`, e.g. `msg:<MsgId>` or `contentKey(plaintext)`). Does nothing when dedupe is off.
   */
  rejectReplay(request: SignedRequest, eventKey: string): Promise<void>;
}

/** A dedupe key for an event with no id of its own: a hash of its decrypted content. */
export function contentKey(plaintext: string): string {
  return `evt:${createHash('sha1').update(plaintext).digest('hex')}`;
}

export function createSignedCallbackFlow(
  crypt: WxBizMsgCrypt,
  options: SignedCallbackOptions,
  vendor: string,
  /** The timestamp in unix seconds, for the freshness check (Weiling may send milliseconds). */
  toSeconds: (timestamp: string) => string = (timestamp) => timestamp,
): SignedCallbackFlow {
  const { tolerance, now, dedupe, ttl, maxBody } = resolveSignedCallbackOptions(options, vendor);
  const param = (query: CallbackQuery, name: string) => requiredQueryParam(query, name, vendor);
  const request = (query: CallbackQuery): SignedRequest => ({
    signature: param(query, 'msg_signature'),
    timestamp: param(query, 'timestamp'),
    nonce: param(query, 'nonce'),
  });
  const fresh = (signed: SignedRequest) => checkTimestamp(toSeconds(signed.timestamp), tolerance, vendor, now());
  const open = (signed: SignedRequest, ciphertext: string) => {
    crypt.verify(signed.signature, signed.timestamp, signed.nonce, ciphertext);
    return crypt.decrypt(ciphertext);
  };
  return {
    verifyUrl(query) {
      const signed = request(query);
      const echostr = param(query, 'echostr');
      fresh(signed);
      return open(signed, echostr);
    },
    request(query) {
      const signed = request(query);
      fresh(signed);
      return signed;
    },
    body: (rawBody) => callbackBodyText(rawBody, maxBody, vendor),
    open,
    async rejectReplay(signed, eventKey) {
      if (!dedupe) return;
      // a replay of the same request, or a re-delivery of the same event with a new signature
      const first = await dedupe.checkAndSet(`scrm:${vendor}:callback:sig:${signed.signature}:${signed.nonce}`, ttl);
      const firstEvent = await dedupe.checkAndSet(`scrm:${vendor}:callback:${eventKey}`, ttl);
      if (!first || !firstEvent) throw new ScrmCallbackError('replayed', 'this callback was already delivered', vendor);
    },
  };
}
