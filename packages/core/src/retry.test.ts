import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, resolveRetry, sleep } from './retry.js';

describe('backoff', () => {
  it('doubles per retry, with half of each step random', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(200);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(400);
  });

  it('is capped by maxDelayMs', () => {
    expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('rejects nonsense options', () => {
    expect(() => resolveRetry({ maxRetries: Number.NaN })).toThrow(/maxRetries/);
    expect(resolveRetry(false).maxRetries).toBe(0);
    expect(resolveRetry({ maxRetries: undefined }).maxRetries).toBe(2);
  });

  it('sleep rejects as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(sleep(5000, controller.signal)).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
