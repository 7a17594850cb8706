/**
 * `@scrm-openapi/jijyun/callback` — receiving 语聚AI callbacks. No signature exists for them, so the receiver
 * checks what can be checked: an optional secret callback path, an optional allow-list of company ids (the
 * aggregated-conversation webhook carries `company_id`), the payload against the spec (generated validators), and
 * repeats (`event_id` where the vendor sends one). Every rejection is a `ScrmCallbackError`.
 */
import { ScrmCallbackError, type JsonCallbackOptions, type PayloadValidator } from '@scrm-openapi/core';
import { createJsonCallbackReceiver } from '@scrm-openapi/core/internal';
import type { JijyunCallbackKey } from './generated/callbacks.js';
import type { webhooks } from './generated/webhooks.js';
import { validators } from './generated/validators.js';

export interface JijyunCallbackOptions extends JsonCallbackOptions {
  /** Accept aggregated-conversation events only from these company ids (`company_id`); others are `not-allowed`. */
  allowedCompanyIds?: readonly string[];
}

export type JijyunCallbackPayload<K extends JijyunCallbackKey> = webhooks[K] extends {
  post: { requestBody?: { content: { 'application/json': infer P } } };
}
  ? P
  : never;

export interface JijyunCallbackReceiver {
  /** Checks and parses one delivery of callback `key` (`message`, `roomJoin`, `roomLeave`, `friendAccepted`, `aggregateMessage`). */
  parse<K extends JijyunCallbackKey>(key: K, rawBody: string | Uint8Array, request?: { path?: string }): Promise<JijyunCallbackPayload<K>>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

export function createJijyunCallback(options: JijyunCallbackOptions = {}): JijyunCallbackReceiver {
  const allowed = options.allowedCompanyIds ? new Set(options.allowedCompanyIds.map(String)) : undefined;
  const receiver = createJsonCallbackReceiver<JijyunCallbackKey>(options, {
    vendor: 'jijyun',
    validators: validators as unknown as Record<JijyunCallbackKey, PayloadValidator>,
    idOf: (key, payload) => {
      const data = obj(payload.data);
      switch (key) {
        case 'aggregateMessage':
          return str(payload.event_id);
        case 'message':
          return str(data.messageId);
        case 'friendAccepted': {
          const from = str(data.fromwxid);
          const to = str(data.wxid);
          return from && to ? `${from}:${to}` : undefined;
        }
        case 'roomJoin':
        case 'roomLeave': {
          const chat = str(payload.chatId);
          const bot = str(obj(payload.botInfo).imBotId);
          return chat && bot ? `${chat}:${bot}:${str(payload.timestamp) ?? ''}` : undefined;
        }
        default:
          return undefined;
      }
    },
    verify: (key, payload) => {
      if (!allowed || key !== 'aggregateMessage') return;
      const company = str(payload.company_id);
      if (company === undefined || !allowed.has(company)) {
        throw new ScrmCallbackError('not-allowed', 'the event comes from a company id that is not allowed', 'jijyun');
      }
    },
  });
  return { parse: (key, rawBody, request) => receiver.parse(key, rawBody, request) as never };
}

export { MemoryDedupeStore, ScrmCallbackError } from '@scrm-openapi/core';
export type { CallbackRejection, DedupeStore } from '@scrm-openapi/core';
// Generated from the spec's webhooks: the callbacks' types (kept out of the root entry, which types the API calls).
export type { webhooks } from './generated/webhooks.js';
export type * from './generated/webhook-schemas.js';
export type { JijyunCallbackKey } from './generated/callbacks.js';
