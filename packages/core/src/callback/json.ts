/**
 * A receiver for vendors whose callbacks are plain JSON with no signature (Juzibot and others): what can be checked
 * is checked — an optional secret path, payload validation against the spec (generated validators), vendor hooks
 * (an echoed token, an allow-list) and dedupe of re-deliveries. Every rejection is a `ScrmCallbackError`.
 */
import { createHash } from 'node:crypto';
import { ScrmCallbackError, type CallbackRejection } from '../errors.js';
import { MemoryDedupeStore, type DedupeStore } from './dedupe.js';
import { callbackBodyText, callbackLimit } from './request.js';
import { constantTimeEqual } from './wxbiz.js';

/** A generated validator (ajv standalone): returns true or sets `errors`. */
export type PayloadValidator = ((value: unknown) => boolean) & {
  errors?: { instancePath?: string; message?: string }[] | null;
};

export interface JsonCallbackOptions {
  /**
   * The secret path the callback URL was registered with (e.g. `/hooks/juzibot/5c1f…`). When set, `parse()` needs
   * the request's path and rejects any other with `bad-secret-path` (compared in constant time).
   */
  secretPath?: string;
  /** Where deliveries are remembered to reject repeats. Default: this process's memory; `false` disables. */
  dedupe?: DedupeStore | false;
  /** How long a delivery is remembered. Default 86400 (one day). */
  dedupeTtlSeconds?: number;
  /** Largest accepted body. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface JsonCallbackHooks<Key extends string> {
  vendor: string;
  validators: Readonly<Record<Key, PayloadValidator>>;
  /** The delivery's own id (message id, event id) for dedupe; undefined falls back to a hash of the body. */
  idOf?: (key: Key, payload: Record<string, unknown>) => string | undefined;
  /** Vendor checks after validation; throw `ScrmCallbackError` to reject. */
  verify?: (key: Key, payload: Record<string, unknown>) => void;
}

export interface JsonCallbackReceiver<Key extends string> {
  /** Checks, validates and parses one delivery of callback `key`. */
  parse(key: Key, rawBody: string | Uint8Array, request?: { path?: string }): Promise<Record<string, unknown>>;
}

export function createJsonCallbackReceiver<Key extends string>(
  options: JsonCallbackOptions,
  hooks: JsonCallbackHooks<Key>,
): JsonCallbackReceiver<Key> {
  const { vendor } = hooks;
  const reject = (reason: CallbackRejection, message: string) => new ScrmCallbackError(reason, message, vendor);
  const dedupe = options.dedupe === false ? undefined : (options.dedupe ?? new MemoryDedupeStore());
  const ttl = callbackLimit(options.dedupeTtlSeconds, 86_400, 'dedupeTtlSeconds', vendor);
  const maxBody = callbackLimit(options.maxBodyBytes, 1024 * 1024, 'maxBodyBytes', vendor);

  return {
    async parse(key, rawBody, request = {}) {
      if (options.secretPath !== undefined) {
        const raw = request.path;
        if (typeof raw !== 'string') throw reject('bad-secret-path', 'the request path is needed to check the secret path');
        const pathname = raw.startsWith('http') ? safePathname(raw) : (raw.split('?')[0] ?? '');
        if (!constantTimeEqual(pathname, options.secretPath))
          throw reject('bad-secret-path', 'the request path is not the secret callback path');
      }
      const validate = hooks.validators[key];
      if (typeof validate !== 'function') throw reject('invalid-payload', `unknown callback kind ${String(key)}`);
      const text = callbackBodyText(rawBody, maxBody, vendor);
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        throw reject('malformed-body', 'body is not JSON');
      }
      if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
        throw reject('malformed-body', 'body is not a JSON object');
      if (!validate(payload)) {
        const first = validate.errors?.[0];
        // the path and rule only — never the offending value, which may be personal data
        throw reject('invalid-payload', `${first?.instancePath || '(root)'} ${first?.message ?? 'does not match the schema'}`);
      }
      const record = payload as Record<string, unknown>;
      hooks.verify?.(key, record);
      if (dedupe) {
        const id = hooks.idOf?.(key, record) ?? `body:${createHash('sha1').update(text).digest('hex')}`;
        if (!(await dedupe.checkAndSet(`scrm:${vendor}:callback:${String(key)}:${id}`, ttl))) {
          throw reject('replayed', 'this callback was already delivered');
        }
      }
      return record;
    },
  };
}

function safePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
