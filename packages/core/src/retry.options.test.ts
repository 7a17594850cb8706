// The retry policy as a user configures and meets it: the defaults, which option values are refused and with what
// message, the bounds of every backoff delay whatever the random source gives, and how `Retry-After` is read.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, resolveRetry, sleep } from './retry.js';

describe('resolveRetry', () => {
  const defaults = { maxRetries: 2, baseDelayMs: 300, maxDelayMs: 8000, throttleDelayMs: 2000, maxRetryAfterMs: 60_000 };

  it('gives the documented defaults, keeps them under `false` except for retries, and lets options override them', () => {
    expect(resolveRetry(undefined)).toEqual(defaults);
    expect(resolveRetry({})).toEqual(defaults);
    expect(resolveRetry(false)).toEqual({ ...defaults, maxRetries: 0 });
    expect(resolveRetry({ baseDelayMs: 10, maxRetryAfterMs: undefined })).toEqual({ ...defaults, baseDelayMs: 10 });
  });

  it('accepts 0 for every option', () => {
    const zeros = { maxRetries: 0, baseDelayMs: 0, maxDelayMs: 0, throttleDelayMs: 0, maxRetryAfterMs: 0 };
    expect(resolveRetry(zeros)).toEqual(zeros);
  });

  it.each([
    ['maxRetries', -1],
    ['baseDelayMs', Number.NaN],
    ['maxDelayMs', Number.POSITIVE_INFINITY],
    ['throttleDelayMs', -0.5],
    ['maxRetryAfterMs', '1000'],
    ['maxRetries', null],
  ])('refuses %s = %s with a RangeError naming the option', (key, value) => {
    let thrown: unknown;
    try {
      resolveRetry({ [key]: value } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RangeError);
    expect((thrown as Error).message).toBe(`retry.${key} must be a finite number ≥ 0`);
  });
});

describe('backoffDelay', () => {
  it('is the base for the first retry at most, half of it at least', () => {
    expect(backoffDelay(1, 300, 8000, () => 0)).toBe(150);
    expect(backoffDelay(1, 300, 8000, () => 0.5)).toBe(225);
    expect(backoffDelay(1, 300, 8000, () => 0.999_999)).toBe(300);
  });

  it('doubles the step per retry: retry n lies in [base·2^(n-1)/2, base·2^(n-1)]', () => {
    for (let n = 1; n <= 5; n++) {
      const step = 300 * 2 ** (n - 1);
      expect(backoffDelay(n, 300, 100_000, () => 0)).toBe(step / 2);
      expect(backoffDelay(n, 300, 100_000, () => 1)).toBe(step);
    }
  });

  it('never exceeds maxDelayMs and never falls under half of it once the cap is reached', () => {
    for (let n = 6; n <= 41; n += 5) {
      expect(backoffDelay(n, 300, 8000, () => 1)).toBe(8000);
      expect(backoffDelay(n, 300, 8000, () => 0)).toBe(4000);
    }
    // the cap applies to the step, exactly at the boundary too
    expect(backoffDelay(2, 4000, 8000, () => 1)).toBe(8000);
    expect(backoffDelay(3, 4000, 8000, () => 1)).toBe(8000);
  });

  it('rounds to whole milliseconds', () => {
    expect(backoffDelay(1, 3, 100, () => 0)).toBe(2);
    expect(backoffDelay(1, 3, 100, () => 1 / 3)).toBe(2);
  });

  it('uses Math.random when no source is given, staying within the bounds', () => {
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(2, 100, 8000);
      expect(d).toBeGreaterThanOrEqual(100);
      expect(d).toBeLessThanOrEqual(200);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds, whole or fractional, around spaces', () => {
    expect(parseRetryAfter(' 2 ')).toBe(2000);
    expect(parseRetryAfter('1.25')).toBe(1250);
    expect(parseRetryAfter('0')).toBe(0);
  });

  it('reads an HTTP date relative to now, and a past date as 0', () => {
    const now = Date.parse('Sun, 06 Dec 2026 05:00:00 GMT');
    expect(parseRetryAfter('Sun, 06 Dec 2026 05:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(' Sun, 06 Dec 2026 05:00:30 GMT ', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 06 Dec 2026 04:59:00 GMT', now)).toBe(0);
  });

  it('ignores an empty, missing or unreadable value', () => {
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('in a while')).toBeUndefined();
    // a number with anything around it is neither delta-seconds nor a date
    expect(parseRetryAfter('5 seconds')).toBeUndefined();
    expect(parseRetryAfter('1e3')).toBeUndefined();
  });
});

describe('sleep', () => {
  it('rejects at once with the reason of a signal that already aborted', async () => {
    const reason = new Error('cancelled before');
    await expect(sleep(10_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('resolves after the delay, and a later abort of its signal changes nothing', async () => {
    const controller = new AbortController();
    const started = performance.now();
    await expect(sleep(20, controller.signal)).resolves.toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    controller.abort(new Error('too late'));
  });

  it('leaves no listener on a signal reused for many waits (no MaxListenersExceededWarning for a long-lived signal)', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the signal’s reason when it aborts during the wait', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 5);
    await expect(sleep(10_000, controller.signal)).rejects.toBe(reason);
  });
});
