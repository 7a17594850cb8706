// Retry-After at and beyond `maxRetryAfterMs`, through a client: the engine waits for an answer's Retry-After up to
// the cap (inclusive) and gives up at once beyond it, in the delta-seconds and the HTTP-date form.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createScrmClient } from './client.js';
import { ScrmHttpError } from './errors.js';
import type { RetryOptions } from './retry.js';
import { createFakeFetch, jsonResponse } from './testing.js';
import { staticKeyProfile } from './test-support.js';

const profile = staticKeyProfile({
  operations: { 'GET /x': { id: 'x', idempotent: true } },
});

type Api = { GET(path: string, init?: { signal?: AbortSignal }): Promise<{ data?: unknown; error?: unknown }> };

/** A client whose first answer is `status` with `Retry-After: retryAfter`, and every later one a success. */
function client(retryAfter: string, retry: RetryOptions, status = 429) {
  const fetch = createFakeFetch((_call, index) =>
    index === 0 ? jsonResponse({ msg: 'slow down' }, { status, headers: { 'retry-after': retryAfter } }) : { code: 0 },
  );
  const api = createScrmClient(
    profile,
    { key: 'k-0001' },
    { fetch, throttle: false, retry: { baseDelayMs: 1, maxDelayMs: 1, throttleDelayMs: 1, ...retry } },
  ) as unknown as Api;
  // a guard so that a regression (sleeping for a long Retry-After) fails fast instead of hanging the suite
  const call = () => api.GET('/x', { signal: AbortSignal.timeout(3000) });
  return { fetch, call };
}

/** How the call ended: 'retried' (second attempt succeeded), or the error it threw. */
async function outcome(call: () => Promise<unknown>): Promise<{ result: 'retried' | 'gave up'; error?: ScrmHttpError; elapsed: number }> {
  const started = performance.now();
  try {
    await call();
    return { result: 'retried', elapsed: performance.now() - started };
  } catch (error) {
    if (!(error instanceof ScrmHttpError)) throw error;
    return { result: 'gave up', error, elapsed: performance.now() - started };
  }
}

describe('Retry-After in seconds', () => {
  it('exactly at maxRetryAfterMs: waits for it and retries', async () => {
    const { fetch, call } = client('0.05', { maxRetryAfterMs: 50 });
    const r = await outcome(call);
    expect(r.result).toBe('retried');
    expect(fetch.calls).toHaveLength(2);
    expect(r.elapsed).toBeGreaterThanOrEqual(45); // it did wait for the Retry-After (timer granularity aside)
    expect(r.elapsed).toBeLessThan(1000);
  });

  it('one millisecond beyond maxRetryAfterMs: gives up after the first attempt, without sleeping', async () => {
    const { fetch, call } = client('0.051', { maxRetryAfterMs: 50 });
    const r = await outcome(call);
    expect(r.result).toBe('gave up');
    expect(fetch.calls).toHaveLength(1);
    expect(r.error?.status).toBe(429);
    expect(r.error?.retryAfterMs).toBe(51);
  });

  it('far beyond the cap (an hour, a 503): gives up at once rather than holding the caller', async () => {
    const { fetch, call } = client('3600', { maxRetryAfterMs: 60_000 }, 503);
    const r = await outcome(call);
    expect(r.result).toBe('gave up');
    expect(fetch.calls).toHaveLength(1);
    expect(r.error?.retryAfterMs).toBe(3_600_000);
    expect(r.elapsed).toBeLessThan(1000);
  });

  it('a cap of 0 still retries an answer that says to retry now', async () => {
    expect((await outcome(client('0', { maxRetryAfterMs: 0 }).call)).result).toBe('retried');
    expect((await outcome(client('1', { maxRetryAfterMs: 0 }).call)).result).toBe('gave up');
  });
});

describe('Retry-After as an HTTP date', () => {
  // Only Date is faked (timers stay real): the engine measures the date against a clock standing on a whole second,
  // so the delay it computes is exact.
  const T = Date.UTC(2026, 0, 5, 8, 0, 0);
  const at = (ms: number) => new Date(T + ms).toUTCString();
  const frozen = () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T);
  };
  afterEach(() => {
    vi.useRealTimers();
  });

  it('exactly at maxRetryAfterMs: waits and retries', async () => {
    frozen();
    const { fetch, call } = client(at(1000), { maxRetryAfterMs: 1000 });
    const r = await outcome(call);
    expect(r.result).toBe('retried');
    expect(fetch.calls).toHaveLength(2);
    expect(r.elapsed).toBeGreaterThanOrEqual(990);
  });

  it('one second beyond maxRetryAfterMs: gives up after the first attempt', async () => {
    frozen();
    const { fetch, call } = client(at(2000), { maxRetryAfterMs: 1000 });
    const r = await outcome(call);
    expect(r.result).toBe('gave up');
    expect(fetch.calls).toHaveLength(1);
    expect(r.error?.retryAfterMs).toBe(2000);
  });

  it('a day ahead under the default cap: gives up at once; a date already past retries at once', async () => {
    frozen();
    const late = client(at(86_400_000), {});
    const r = await outcome(late.call);
    expect(r.result).toBe('gave up');
    expect(late.fetch.calls).toHaveLength(1);
    expect(r.elapsed).toBeLessThan(1000);
    const past = client(at(-5000), { maxRetryAfterMs: 0 });
    expect((await outcome(past.call)).result).toBe('retried');
    expect(past.fetch.calls).toHaveLength(2);
  });
});
