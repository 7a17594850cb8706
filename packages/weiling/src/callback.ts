/**
 * `@scrm-openapi/weiling/callback` — receiving Weiling event callbacks (事件回调). Weiling follows WeCom's scheme:
 * the POST body is JSON `{to_app, encrypt_msg}`, signed with `msg_signature` over token, timestamp, nonce and
 * `encrypt_msg`, and encrypted with AES-256-CBC under the EncodingAESKey (receiver id = your app id). The
 * plaintext is JSON `{header: {event_type, time_stamp, to_app}, event}`. Answer `success` within one second.
 * The crypto is core's `WxBizMsgCrypt`; every rejection is a `ScrmCallbackError`.
 */
import { ScrmCallbackError, type CallbackQuery, type PayloadValidator, type SignedCallbackOptions } from '@scrm-openapi/core';
import { contentKey, createSignedCallbackFlow, WxBizMsgCrypt } from '@scrm-openapi/core/internal';
import type { WeilingCallbackKey } from './generated/callbacks.js';
import type { webhooks } from './generated/webhooks.js';
import { validators } from './generated/validators.js';

const VENDOR = 'weiling';

export interface WeilingCallbackOptions extends SignedCallbackOptions {
  /** The callback Token (16–32 letters/digits) configured with the callback URL. */
  token: string;
  /** The 43-character EncodingAESKey configured with the callback URL. */
  encodingAESKey: string;
  /** Your app id (`to_app`): the receiver id inside every encrypted message. */
  appId: string;
}

export type { CallbackQuery };

type Payload<K extends keyof webhooks> = webhooks[K] extends { post: { requestBody?: { content: { 'application/json': infer P } } } }
  ? P
  : never;

/** A decrypted callback: `key` (the event type) narrows `payload`; event types the spec does not know have `key: null`. */
export type WeilingCallback =
  | { [K in WeilingCallbackKey]: { key: K; payload: Payload<K> } }[WeilingCallbackKey]
  | { key: null; payload: { header?: Record<string, unknown>; event?: unknown } };

export interface WeilingCallbackReceiver {
  /** The GET sent when the callback URL is saved: returns the plaintext to answer with. */
  verifyUrl(query: CallbackQuery): string;
  /** Verifies, decrypts, validates and dedupes one POSTed event. */
  parse(query: CallbackQuery, rawBody: string | Uint8Array): Promise<WeilingCallback>;
}

/** Weiling timestamps may be seconds or milliseconds; the window check works in seconds. */
const seconds = (ts: string) => (/^\d{13}$/.test(ts) ? ts.slice(0, 10) : ts);

/** Which webhook an event type is: the webhooks are keyed by their header.event_type. */
const keyOf = (eventType: string | undefined): WeilingCallbackKey | null =>
  eventType !== undefined && Object.hasOwn(validators, eventType) ? (eventType as WeilingCallbackKey) : null;

export function createWeilingCallback(options: WeilingCallbackOptions): WeilingCallbackReceiver {
  const crypt = new WxBizMsgCrypt({
    token: options.token,
    encodingAESKey: options.encodingAESKey,
    receiveId: options.appId,
    vendor: VENDOR,
  });
  const flow = createSignedCallbackFlow(crypt, options, VENDOR, seconds);

  return {
    verifyUrl: (query) => flow.verifyUrl(query),

    async parse(query, rawBody) {
      const signed = flow.request(query);
      const text = flow.body(rawBody);
      let outer: unknown;
      try {
        outer = JSON.parse(text);
      } catch {
        throw new ScrmCallbackError('malformed-body', 'body is not JSON', VENDOR);
      }
      const encrypted = (outer as { encrypt_msg?: unknown } | null)?.encrypt_msg;
      if (typeof encrypted !== 'string' || encrypted === '')
        throw new ScrmCallbackError('malformed-body', 'body has no encrypt_msg', VENDOR);
      const plaintext = flow.open(signed, encrypted);
      let payload: unknown;
      try {
        payload = JSON.parse(plaintext);
      } catch {
        throw new ScrmCallbackError('malformed-body', 'the decrypted message is not JSON', VENDOR);
      }
      if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
        throw new ScrmCallbackError('malformed-body', 'the decrypted message is not a JSON object', VENDOR);
      }
      const header = (payload as { header?: Record<string, unknown> }).header;
      const eventType = typeof header?.event_type === 'string' ? header.event_type : undefined;
      const key = keyOf(eventType);
      if (key !== null) {
        const validate = (validators as unknown as Record<string, PayloadValidator>)[key]!;
        if (!validate(payload)) {
          const first = validate.errors?.[0];
          throw new ScrmCallbackError(
            'invalid-payload',
            `${first?.instancePath || '(root)'} ${first?.message ?? 'does not match the schema'}`,
            VENDOR,
          );
        }
      }
      await flow.rejectReplay(signed, contentKey(plaintext));
      return { key, payload } as WeilingCallback;
    },
  };
}

/**
 * Produces genuine Weiling callbacks (signed and encrypted as Weiling does) for tests and the sandbox.
 */
export function createWeilingCallbackSigner(options: Pick<WeilingCallbackOptions, 'token' | 'encodingAESKey' | 'appId' | 'now'>) {
  const crypt = new WxBizMsgCrypt({
    token: options.token,
    encodingAESKey: options.encodingAESKey,
    receiveId: options.appId,
    vendor: VENDOR,
  });
  const now = options.now ?? Date.now;
  return {
    event(payload: unknown, at: { timestamp?: string; nonce?: string } = {}) {
      const sealed = crypt.seal(typeof payload === 'string' ? payload : JSON.stringify(payload), at, now);
      const { signature, timestamp, nonce } = sealed;
      return {
        query: { msg_signature: signature, timestamp, nonce },
        body: JSON.stringify({ to_app: options.appId, encrypt_msg: sealed.encrypted }),
      };
    },
    urlVerification(plaintext: string, at: { timestamp?: string; nonce?: string } = {}) {
      const { encrypted: echostr, signature, timestamp, nonce } = crypt.seal(plaintext, at, now);
      return { query: { msg_signature: signature, timestamp, nonce, echostr } };
    },
  };
}

export { MemoryDedupeStore, ScrmCallbackError } from '@scrm-openapi/core';
export type { CallbackRejection, DedupeStore } from '@scrm-openapi/core';
// Generated from the spec's webhooks: the callbacks' types (kept out of the root entry, which types the API calls).
export type { webhooks } from './generated/webhooks.js';
export type * from './generated/webhook-schemas.js';
export type { WeilingCallbackKey } from './generated/callbacks.js';
