/** Retry policy: exponential backoff with jitter, `Retry-After` honoured, caps. */
import { onAbort } from './abort-relay.js';

export interface RetryOptions {
  /** Retries after the first attempt (not counting the one token-refresh retry). Default 2. */
  maxRetries?: number;
  /** First backoff delay in ms; doubles per retry. Default 300. */
  baseDelayMs?: number;
  /** Largest backoff delay in ms. Default 8000. */
  maxDelayMs?: number;
  /** First backoff for rate-limit codes (WeCom 45009/45033), which block for a whole window. Default 2000. */
  throttleDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the call fails instead. Default 60000. */
  maxRetryAfterMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(options: RetryOptions | false | undefined): ResolvedRetry {
  const defaults: ResolvedRetry = {
    maxRetries: 2,
    baseDelayMs: 300,
    maxDelayMs: 8000,
    throttleDelayMs: 2000,
    maxRetryAfterMs: 60_000,
  };
  if (options === false) return { ...defaults, maxRetries: 0 };
  const merged = { ...defaults, ...stripUndefined(options ?? {}) };
  for (const [k, v] of Object.entries(merged)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`retry.${k} must be a finite number ≥ 0`);
    }
  }
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Delay before retry number `retry` (1-based): half of the exponential step is fixed and half is random
 * ("equal jitter"), so delays always grow and never collapse to zero.
 */
export function backoffDelay(retry: number, base: number, max: number, random: () => number = Math.random): number {
  const step = Math.min(max, base * 2 ** (retry - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      stopListening?.();
      resolve();
    }, ms);
    // waits sharing one caller signal share one listener on it (abort-relay.ts)
    const stopListening = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(signal.reason);
        })
      : undefined;
  });
}
