// The refresh margin against short-lived tokens. The rule: a token is refreshed `refreshMarginMs` before it expires
// (default 5 minutes), but never earlier than half-way through its life, so a token that lives less than twice the
// margin (expires_in 60 s against 5 minutes) is refreshed at half its life: neither fetched again on every call nor
// used once it has expired.
import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, TokenManager, type StoredToken, type TokenStore } from './token.js';

function manager(options: { lifetimeSeconds: number; marginMs?: number; store?: TokenStore }) {
  let clock = 0;
  let failing = false;
  let n = 0;
  const tm = new TokenManager({
    vendor: 'test',
    key: 'k',
    store: options.store ?? new MemoryTokenStore(),
    now: () => clock,
    refreshMarginMs: options.marginMs,
    fetchToken: async () => {
      if (failing) throw new Error('token endpoint down');
      return { value: `t${++n}`, expiresInSeconds: options.lifetimeSeconds };
    },
  });
  return {
    tm,
    fetches: () => tm.fetchCount,
    at: (ms: number) => {
      clock = ms;
    },
    fail: (on: boolean) => {
      failing = on;
    },
  };
}

describe('refresh margin on a short-lived token', () => {
  it('expires_in 60 s with the default 5-minute margin: one fetch serves the first 30 s, the next comes at 30 s', async () => {
    const m = manager({ lifetimeSeconds: 60 });
    for (const t of [0, 1, 10_000, 29_999]) {
      m.at(t);
      expect(await m.tm.get()).toBe('t1');
    }
    expect(m.fetches()).toBe(1);
    m.at(30_000);
    expect(await m.tm.get()).toBe('t2');
    m.at(59_999);
    expect(await m.tm.get()).toBe('t2');
    expect(m.fetches()).toBe(2);
  });

  it('calls every 100 ms for ten minutes fetch a 60 s token about once per 30 s, not once per call', async () => {
    const m = manager({ lifetimeSeconds: 60 });
    for (let t = 0; t < 600_000; t += 100) {
      m.at(t);
      await m.tm.get();
    }
    expect(m.fetches()).toBe(20); // 6,000 calls, a token every 30 s
  });

  it.each([
    // lifetime (s), margin (ms), when the refresh is due (ms after the fetch)
    [60, undefined, 30_000], // shorter than the margin: half its life
    [600, undefined, 300_000], // exactly twice the margin: both rules agree
    [601, undefined, 301_000], // just over: the margin applies
    [7200, undefined, 6_900_000], // WeCom's 2 hours
    [1, 60_000, 500], // a one-second token
    [7200, 0, 7_200_000], // no margin: used up to its expiry
  ])('a %i s token with margin %s ms is refreshed at %i ms, not a millisecond earlier', async (lifetime, margin, due) => {
    const m = manager({ lifetimeSeconds: lifetime, marginMs: margin });
    await m.tm.get();
    m.at(due - 1);
    expect(await m.tm.get()).toBe('t1');
    m.at(due);
    expect(await m.tm.get()).toBe('t2');
    expect(m.fetches()).toBe(2);
  });

  it('is not used past its expiry when the refresh fails: kept inside its life, refused from the expiry on', async () => {
    const m = manager({ lifetimeSeconds: 60 });
    expect(await m.tm.get()).toBe('t1');
    m.fail(true);
    m.at(30_000);
    expect(await m.tm.get()).toBe('t1'); // due for refresh, the refresh fails: the token is still valid
    m.at(59_999);
    expect(await m.tm.get()).toBe('t1');
    m.at(60_000);
    await expect(m.tm.get()).rejects.toThrow('token endpoint down');
    m.at(90_000);
    await expect(m.tm.get()).rejects.toThrow('token endpoint down');
    m.fail(false);
    expect(await m.tm.get()).toBe('t2');
  });

  it('a refresh that keeps failing inside the margin is tried again after a pause, not on every call', async () => {
    const m = manager({ lifetimeSeconds: 60 });
    await m.tm.get();
    m.fail(true);
    let served = 0;
    for (let t = 30_000; t < 60_000; t += 100) {
      m.at(t);
      if ((await m.tm.get()) === 't1') served++;
    }
    expect(served).toBe(300); // every call still got the valid token
    // 300 calls inside the margin: at most one attempt per 5 s, closing in on the expiry by halves (11 here), not 300
    expect(m.fetches() - 1).toBeLessThanOrEqual(15);
    expect(m.fetches() - 1).toBeGreaterThanOrEqual(6);
    m.at(60_000);
    await expect(m.tm.get()).rejects.toThrow('token endpoint down');
    m.fail(false);
    expect(await m.tm.get()).toBe('t2');
  });

  it('after a failed refresh, the next attempt comes 5 s later (or half the time left, when less)', async () => {
    const m = manager({ lifetimeSeconds: 7200 });
    await m.tm.get();
    m.fail(true);
    m.at(6_900_000); // the 5-minute margin starts
    expect(await m.tm.get()).toBe('t1');
    expect(m.fetches()).toBe(2);
    m.at(6_904_999);
    expect(await m.tm.get()).toBe('t1');
    expect(m.fetches()).toBe(2);
    m.fail(false);
    m.at(6_905_000);
    expect(await m.tm.get()).toBe('t2');
    expect(m.fetches()).toBe(3);
  });

  it('a token stored without refreshAt (a store that keeps only value and expiry) is refreshed once, then served from memory', async () => {
    const inner = new MemoryTokenStore();
    const bare: TokenStore = {
      get: (key) => inner.get(key),
      set: (key, token: StoredToken) => inner.set(key, { value: token.value, expiresAt: token.expiresAt }),
      delete: (key, value) => inner.delete(key, value),
    };
    const a = manager({ lifetimeSeconds: 60, store: bare });
    const b = manager({ lifetimeSeconds: 60, store: bare });
    await a.tm.get();
    // b finds a's token with 60 s left against a 5-minute margin and no refreshAt: it refreshes, once
    for (const t of [1000, 2000, 29_000]) {
      b.at(t);
      await b.tm.get();
    }
    expect(b.fetches()).toBe(1);
  });
});
