/**
 * What every callback receiver reads from an incoming request, the same way for every vendor: query parameters,
 * the body as text within a size limit, and the replay guard's settings for signed (WXBizMsgCrypt-style) callbacks.
 */
import { ScrmCallbackError, ScrmConfigError } from '../errors.js';
import { MemoryDedupeStore, type DedupeStore } from './dedupe.js';

/** The query string of a callback request, as a record (Express, Fastify) or URLSearchParams. */
export type CallbackQuery = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Replay protection and limits shared by the signed-callback receivers. */
export interface SignedCallbackOptions {
  /** Reject callbacks whose timestamp is further than this from now. Default 300; 0 disables the check. */
  toleranceSeconds?: number;
  /** Where delivered callbacks are remembered to reject repeats. Default: this process's memory; `false` disables. */
  dedupe?: DedupeStore | false;
  /** How long a delivery is remembered. Default max(600, 2 × toleranceSeconds). */
  dedupeTtlSeconds?: number;
  /** Largest accepted body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * `SignedCallbackOptions` with every default applied. A limit that is not a number in range (NaN from an unset
 * environment variable, a negative value) is a `ScrmConfigError`: compared as it is, it would switch its check off.
 */
export function resolveSignedCallbackOptions(options: SignedCallbackOptions, vendor = 'scrm') {
  const tolerance = callbackLimit(options.toleranceSeconds, 300, 'toleranceSeconds', vendor, 0);
  const now = options.now ?? Date.now;
  return {
    tolerance,
    now,
    dedupe: options.dedupe === false ? undefined : (options.dedupe ?? new MemoryDedupeStore({ now })),
    ttl: callbackLimit(options.dedupeTtlSeconds, Math.max(600, 2 * tolerance), 'dedupeTtlSeconds', vendor),
    maxBody: callbackLimit(options.maxBodyBytes, 1024 * 1024, 'maxBodyBytes', vendor),
  };
}

/** A numeric callback option: its default when absent, else a finite number of at least `min` (default: above 0). */
export function callbackLimit(value: number | undefined, fallback: number, name: string, vendor: string, min?: number): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (min === undefined ? value > 0 : value >= min);
  if (!ok)
    throw new ScrmConfigError(
      `${vendor} callback: option \`${name}\` must be a finite number ${min === undefined ? 'above 0' : `of at least ${min}`}`,
      vendor,
    );
  return value;
}

/** A query parameter that must be present and non-empty (the first, when repeated); else `missing-parameter`. */
export function requiredQueryParam(query: CallbackQuery, name: string, vendor: string): string {
  const raw = query instanceof URLSearchParams ? (query.get(name) ?? undefined) : query?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value === '')
    throw new ScrmCallbackError('missing-parameter', `query parameter ${name} is missing`, vendor);
  return value;
}

/** The body as UTF-8 text: `too-large` past `maxBytes`, `malformed-body` when it is neither a string nor bytes. */
export function callbackBodyText(rawBody: unknown, maxBytes: number, vendor: string): string {
  if (typeof rawBody === 'string') {
    const size = Buffer.byteLength(rawBody);
    if (size > maxBytes) throw new ScrmCallbackError('too-large', `body of ${size} bytes exceeds ${maxBytes}`, vendor);
    return rawBody;
  }
  if (rawBody instanceof Uint8Array) {
    if (rawBody.byteLength > maxBytes)
      throw new ScrmCallbackError('too-large', `body of ${rawBody.byteLength} bytes exceeds ${maxBytes}`, vendor);
    return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8');
  }
  throw new ScrmCallbackError('malformed-body', 'body must be a string or bytes', vendor);
}
