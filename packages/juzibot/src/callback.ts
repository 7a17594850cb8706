/**
 * `@scrm-openapi/juzibot/callback` — receiving Juzibot callbacks. Juzibot documents no signature that can be
 * checked reliably (see the README), so what can be checked is checked: an optional secret callback path, the token
 * the message callbacks echo back, the payload against the spec (generated validators), and repeats (Juzibot
 * retries timed-out deliveries up to 5 times). Every rejection is a `ScrmCallbackError`.
 */
import { ScrmCallbackError, type JsonCallbackOptions, type PayloadValidator } from '@scrm-openapi/core';
import { constantTimeEqual, createJsonCallbackReceiver } from '@scrm-openapi/core/internal';
import type { JuzibotCallbackKey } from './generated/callbacks.js';
import type { webhooks } from './generated/webhooks.js';
import { validators } from './generated/validators.js';

export interface JuzibotCallbackOptions extends JsonCallbackOptions {
  /** Your enterprise token: message callbacks whose echoed `token` differs are rejected (`bad-token`). */
  token?: string;
  /** Your group-level token: group-level message callbacks whose echoed `data.token` differs are rejected. */
  groupToken?: string;
}

/** The payload of callback `K`, as the spec describes it. */
export type JuzibotCallbackPayload<K extends JuzibotCallbackKey> = webhooks[K] extends {
  post: { requestBody?: { content: { 'application/json': infer P } } };
}
  ? P
  : never;

export interface JuzibotCallbackReceiver {
  /**
   * Checks and parses one delivery. `key` says which callback URL received it (`message`, `groupMessage`,
   * `sendResult`, `accountEvent`, `roomJoined`, `roomLoaded`); `request.path` is needed when `secretPath` is set.
   */
  parse<K extends JuzibotCallbackKey>(
    key: K,
    rawBody: string | Uint8Array,
    request?: { path?: string },
  ): Promise<JuzibotCallbackPayload<K>>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function createJuzibotCallback(options: JuzibotCallbackOptions = {}): JuzibotCallbackReceiver {
  const receiver = createJsonCallbackReceiver<JuzibotCallbackKey>(options, {
    vendor: 'juzibot',
    validators: validators as unknown as Record<JuzibotCallbackKey, PayloadValidator>,
    idOf: (key, payload) => {
      const data = (payload.data ?? {}) as Record<string, unknown>;
      switch (key) {
        case 'message':
          return str(payload.messageId);
        case 'groupMessage':
          return str(data.messageId);
        case 'sendResult':
          return str(payload.requestId) ?? str(payload.externalRequestId);
        default:
          return undefined; // a hash of the body
      }
    },
    verify: (key, payload) => {
      const check = (expected: string | undefined, echoed: unknown) => {
        if (expected === undefined) return;
        if (typeof echoed !== 'string' || !constantTimeEqual(echoed, expected)) {
          throw new ScrmCallbackError('bad-token', 'the echoed token is not yours', 'juzibot');
        }
      };
      if (key === 'message') check(options.token, payload.token);
      if (key === 'groupMessage') check(options.groupToken, (payload.data as Record<string, unknown> | undefined)?.token);
    },
  });
  return {
    parse: (key, rawBody, request) => receiver.parse(key, rawBody, request) as never,
  };
}

export { MemoryDedupeStore, ScrmCallbackError } from '@scrm-openapi/core';
export type { CallbackRejection, DedupeStore } from '@scrm-openapi/core';
// Generated from the spec's webhooks: the callbacks' types (kept out of the root entry, which types the API calls).
export type { webhooks } from './generated/webhooks.js';
export type * from './generated/webhook-schemas.js';
export type { JuzibotCallbackKey } from './generated/callbacks.js';
