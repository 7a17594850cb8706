// The throttle's arithmetic at its boundaries: how large the default burst is, how far apart requests are spaced,
// where a rate-limit penalty puts the next slot, and which rules give an operation a throttle key.
import { describe, expect, it } from 'vitest';
import { burstTolerance, emissionInterval, gcra, MemoryThrottleStore, penaltyTat, throttleKeys, type RateLimit } from './throttle.js';

/** The waits `n` requests made at `now` (all at once) are told, from a fresh key. */
function waitsAtOnce(limit: RateLimit, n: number, now = 1_000_000): number[] {
  let tat: number | undefined;
  const waits: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = gcra(tat, limit, now);
    tat = r.tat;
    waits.push(r.wait);
  }
  return waits;
}

/** How many of `n` requests made at once go through without waiting. */
const burstSize = (limit: RateLimit, n = 200) => waitsAtOnce(limit, n).filter((w) => w === 0).length;

describe('the burst', () => {
  it.each([
    [{ limit: 100, intervalMs: 1000 }, 10],
    [{ limit: 105, intervalMs: 1000 }, 10], // 10 % rounded down
    [{ limit: 19, intervalMs: 1000 }, 1],
    [{ limit: 10, intervalMs: 1000 }, 1],
    [{ limit: 5, intervalMs: 1000 }, 1], // at least 1
    [{ limit: 100, intervalMs: 1000, burst: 25 }, 25],
    [{ limit: 100, intervalMs: 1000, burst: 2.9 }, 2], // a fractional burst counts whole requests only
    [{ limit: 100, intervalMs: 1000, burst: 0 }, 1], // a burst of 0 still lets one request through
  ])('%o lets %i requests through at once', (limit, burst) => {
    expect(burstSize(limit)).toBe(burst);
    expect(burstTolerance(limit)).toBe(emissionInterval(limit) * (burst - 1));
  });

  it('after the burst, spaces requests exactly interval/limit apart', () => {
    const waits = waitsAtOnce({ limit: 4, intervalMs: 1000, burst: 2 }, 6);
    expect(waits).toEqual([0, 0, 250, 500, 750, 1000]);
    expect(emissionInterval({ limit: 4, intervalMs: 1000 })).toBe(250);
  });

  it('rounds a fractional wait up to the next millisecond, never down', () => {
    // 3 per second: slots 333.33 ms apart
    const waits = waitsAtOnce({ limit: 3, intervalMs: 1000, burst: 1 }, 3);
    expect(waits).toEqual([0, 334, 667]);
  });

  it('a key idle for longer than its burst window starts afresh, not with credit saved up', () => {
    const limit = { limit: 10, intervalMs: 1000, burst: 2 };
    const first = gcra(undefined, limit, 0);
    expect(first).toEqual({ wait: 0, tat: 100 });
    // long idle: the schedule restarts from now
    const later = gcra(first.tat, limit, 10_000);
    expect(later).toEqual({ wait: 0, tat: 10_100 });
    expect(gcra(later.tat, limit, 10_000).wait).toBe(0);
    expect(gcra(gcra(later.tat, limit, 10_000).tat, limit, 10_000).wait).toBe(100);
  });

  it('a request exactly at its allowed time does not wait; one millisecond earlier waits 1 ms', () => {
    const limit = { limit: 10, intervalMs: 1000, burst: 1 };
    const { tat } = gcra(undefined, limit, 0); // next slot at 100
    expect(gcra(tat, limit, 100).wait).toBe(0);
    expect(gcra(tat, limit, 99).wait).toBe(1);
  });
});

describe('a rate-limit penalty', () => {
  it('sets the arrival time so that no burst is left before `until`', () => {
    const limit = { limit: 10, intervalMs: 1000, burst: 3 };
    expect(penaltyTat(5000, limit)).toBe(5200);
    expect(penaltyTat(5000, { limit: 10, intervalMs: 1000, burst: 1 })).toBe(5000);
  });

  it('holds every request until `until` exactly, then lets one through and spaces the rest', async () => {
    const store = new MemoryThrottleStore();
    const limit = { limit: 10, intervalMs: 1000, burst: 3 };
    await store.penalize('k', 5000, limit, 0);
    expect(await store.reserve('k', limit, 0)).toBe(5000);
    expect(await store.reserve('k', limit, 0)).toBe(5100);
    expect(await store.reserve('k', limit, 0)).toBe(5200);
  });

  it('at `until` itself, the first request goes at once', async () => {
    const store = new MemoryThrottleStore();
    const limit = { limit: 10, intervalMs: 1000, burst: 3 };
    await store.penalize('k', 5000, limit, 0);
    expect(await store.reserve('k', limit, 5000)).toBe(0);
    expect(await store.reserve('k', limit, 5000)).toBe(100);
  });

  it('never shortens a wait the key already has: a shorter penalty after a longer one changes nothing', async () => {
    const store = new MemoryThrottleStore();
    const limit = { limit: 10, intervalMs: 1000, burst: 1 };
    await store.penalize('k', 9000, limit, 0);
    await store.penalize('k', 3000, limit, 0);
    expect(await store.reserve('k', limit, 0)).toBe(9000);
  });

  it('a penalty that ends before the queue already booked does not move it', async () => {
    const store = new MemoryThrottleStore();
    const limit = { limit: 1, intervalMs: 1000, burst: 1 };
    for (let i = 0; i < 5; i++) await store.reserve('k', limit, 0); // booked up to 5000
    await store.penalize('k', 2000, limit, 0);
    expect(await store.reserve('k', limit, 0)).toBe(5000);
  });

  it('applies to its own key only', async () => {
    const store = new MemoryThrottleStore();
    const limit = { limit: 10, intervalMs: 1000, burst: 1 };
    await store.penalize('a', 5000, limit, 0);
    expect(await store.reserve('b', limit, 0)).toBe(0);
  });

  it('keeps every key’s schedule when many keys are in use (more than the sweep threshold)', async () => {
    const store = new MemoryThrottleStore();
    const limit = { limit: 1, intervalMs: 1000, burst: 1 };
    await store.reserve('busy', limit, 0);
    await store.reserve('busy', limit, 0); // booked to 2000
    for (let i = 0; i < 10_005; i++) await store.reserve(`k${i}`, limit, 500);
    expect(await store.reserve('busy', limit, 500)).toBe(1500);
  });
});

describe('throttleKeys', () => {
  it('an operation rule needs an operation id; a group rule needs the operation’s group', () => {
    const rules = [
      { scope: 'operation' as const, limit: 5, intervalMs: 1000 },
      { scope: 'group' as const, group: 'g', limit: 6, intervalMs: 1000 },
      { scope: 'group' as const, limit: 7, intervalMs: 1000 },
    ];
    expect(throttleKeys(rules, 's', {})).toEqual([]);
    expect(throttleKeys(rules, 's', { group: 'other' })).toEqual([]);
    expect(throttleKeys(rules, 's', { id: 'op', group: 'g' })).toEqual([
      { key: 's:op:op:5/1000', limit: rules[0] },
      { key: 's:group:g:6/1000', limit: rules[1] },
    ]);
  });
});
