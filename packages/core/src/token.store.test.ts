// The token manager against its store, as a deployment meets it: what it writes (expiry, refresh time), a refresh
// time another process stored, invalidating a token that was already replaced, one fetch for all concurrent callers
// (and one failure for all of them), the refresh lock of a shared store, and the `token-refresh` events and log lines.
import { describe, expect, it } from 'vitest';
import type { ScrmEvent } from './logger.js';
import { captureLogger } from './testing.js';
import { MemoryTokenStore, TokenManager, tokenStoreKey, type StoredToken, type TokenStore } from './token.js';

/** A store that records every call, around a memory store (optionally with a lock). */
function recordingStore(lock?: TokenStore['acquireLock']) {
  const inner = new MemoryTokenStore();
  const calls: string[] = [];
  const store: TokenStore = {
    get: async (k) => {
      calls.push(`get ${k}`);
      return inner.get(k);
    },
    set: async (k, t) => {
      calls.push(`set ${k} ${t.value}`);
      return inner.set(k, t);
    },
    delete: async (k, v) => {
      calls.push(`delete ${k} ${v}`);
      return inner.delete(k, v);
    },
    ...(lock ? { acquireLock: lock } : {}),
  };
  return { store, inner, calls };
}

function setup(
  options: { store?: TokenStore; marginMs?: number; lifetimeSeconds?: number; fetchDelayMs?: number; lockTtlMs?: number } = {},
) {
  let clock = 1_000_000;
  let n = 0;
  let failing: Error | undefined;
  const events: ScrmEvent[] = [];
  const remembered: string[] = [];
  const logger = captureLogger();
  const store = options.store ?? new MemoryTokenStore();
  const tm = new TokenManager({
    vendor: 'acme',
    key: 'key-1',
    store,
    now: () => clock,
    ...(options.marginMs === undefined ? {} : { refreshMarginMs: options.marginMs }),
    ...(options.lockTtlMs === undefined ? {} : { lockTtlMs: options.lockTtlMs }),
    lockPollMs: 1,
    logger,
    onEvent: (e) => events.push(e),
    onNewToken: (v) => remembered.push(v),
    fetchToken: async () => {
      if (options.fetchDelayMs) await new Promise((r) => setTimeout(r, options.fetchDelayMs));
      if (failing) throw failing;
      clock += 7; // the token endpoint takes 7 ms
      return { value: `t${++n}`, expiresInSeconds: options.lifetimeSeconds ?? 7200 };
    },
  });
  return {
    tm,
    store,
    events,
    remembered,
    logger,
    now: () => clock,
    advance: (ms: number) => {
      clock += ms;
    },
    fail: (error: Error | undefined) => {
      failing = error;
    },
  };
}

describe('what the manager stores', () => {
  it('a fetched token expires after its lifetime and is refreshed the margin before', async () => {
    const s = setup({ marginMs: 60_000 });
    expect(await s.tm.get()).toBe('t1');
    const issued = s.now();
    expect(await s.store.get('key-1')).toEqual({ value: 't1', expiresAt: issued + 7_200_000, refreshAt: issued + 7_200_000 - 60_000 });
  });

  it('the default margin is 5 minutes', async () => {
    const s = setup();
    await s.tm.get();
    const stored = (await s.store.get('key-1')) as StoredToken;
    expect(stored.expiresAt - (stored.refreshAt as number)).toBe(300_000);
    s.advance(7_200_000 - 300_000 - 1);
    await s.tm.get();
    expect(s.tm.fetchCount).toBe(1);
    s.advance(1);
    expect(await s.tm.get()).toBe('t2');
  });
});

describe('a refresh time stored by another process', () => {
  it('is honoured: the token is used until then without a fetch, and refreshed (reason “expiring”) from then on', async () => {
    const s = setup({ marginMs: 60_000 });
    const now = s.now();
    await s.store.set('key-1', { value: 'theirs', expiresAt: now + 100_000, refreshAt: now + 10_000 });
    expect(await s.tm.get()).toBe('theirs');
    s.advance(9_999);
    expect(await s.tm.get()).toBe('theirs');
    expect(s.tm.fetchCount).toBe(0);
    s.advance(1);
    expect(await s.tm.get()).toBe('t1');
    expect(s.events).toMatchObject([{ type: 'token-refresh', reason: 'expiring', ok: true }]);
  });

  it('a token stored without a refresh time is refreshed the margin before its expiry', async () => {
    const s = setup({ marginMs: 60_000 });
    await s.store.set('key-1', { value: 'theirs', expiresAt: s.now() + 100_000 });
    s.advance(39_999);
    expect(await s.tm.get()).toBe('theirs');
    s.advance(1);
    expect(await s.tm.get()).toBe('t1');
  });

  it('a newer token another process stored is picked up once this one’s copy is due, without a fetch', async () => {
    const s = setup({ marginMs: 60_000, lifetimeSeconds: 120 });
    expect(await s.tm.get()).toBe('t1');
    s.advance(60_000);
    await s.store.set('key-1', { value: 'theirs', expiresAt: s.now() + 120_000, refreshAt: s.now() + 60_000 });
    expect(await s.tm.get()).toBe('theirs');
    expect(s.tm.fetchCount).toBe(1);
    expect(s.remembered).toEqual(['t1', 'theirs']);
  });

  it('a fresh copy costs no store round trip', async () => {
    const r = recordingStore();
    const s = setup({ store: r.store });
    await s.tm.get();
    const before = r.calls.length;
    await Promise.all([s.tm.get(), s.tm.get(), s.tm.get()]);
    expect(r.calls.length).toBe(before);
  });
});

describe('invalidate', () => {
  it('with a value that was already replaced: the current token stays, in memory and in the store', async () => {
    const r = recordingStore();
    const s = setup({ store: r.store });
    expect(await s.tm.get()).toBe('t1');
    await s.tm.invalidate('t1');
    expect(await s.tm.get()).toBe('t2');
    await s.tm.invalidate('t1'); // a second caller refused by the old token reports it late
    expect(r.calls.at(-1)).toBe('delete key-1 t1');
    expect((await r.inner.get('key-1'))?.value).toBe('t2');
    expect(await s.tm.get()).toBe('t2');
    expect(s.tm.fetchCount).toBe(2);
  });

  it('with a replaced value, the current token is still served from memory (no store round trip)', async () => {
    const r = recordingStore();
    const s = setup({ store: r.store });
    await s.tm.get();
    await s.tm.invalidate('t1');
    await s.tm.get();
    await s.tm.invalidate('t1');
    const before = r.calls.length;
    expect(await s.tm.get()).toBe('t2');
    expect(r.calls.length).toBe(before);
  });

  it('by two callers refused by the same token: both calls succeed, and one new token is fetched', async () => {
    const s = setup();
    await s.tm.get();
    await s.tm.invalidate('t1');
    await expect(s.tm.invalidate('t1')).resolves.toBeUndefined();
    expect(await s.tm.get()).toBe('t2');
    expect(s.tm.fetchCount).toBe(2);
  });

  it('of a token the store no longer has (expired, or removed by another process) is harmless', async () => {
    const store = new MemoryTokenStore();
    await expect(store.delete('nothing-here', 'old')).resolves.toBeUndefined();
    const s = setup({ store });
    await s.tm.get();
    await store.delete('key-1');
    await expect(s.tm.invalidate('t1')).resolves.toBeUndefined();
    expect(await s.tm.get()).toBe('t2');
  });

  it('the fetch after invalidating says “invalidated”, the next cold one “cold” again', async () => {
    const s = setup({ lifetimeSeconds: 1000 });
    await s.tm.get();
    await s.tm.invalidate('t1');
    await s.tm.get();
    s.advance(1_000_001);
    await s.tm.get();
    expect(s.events.map((e) => (e.type === 'token-refresh' ? e.reason : e.type))).toEqual(['cold', 'invalidated', 'cold']);
  });

  it('the fetch after invalidating says “invalidated” even when the store still held another token', async () => {
    const s = setup({ lifetimeSeconds: 1000 });
    await s.tm.get();
    await s.tm.invalidate('t1');
    s.advance(1_000_001); // the stored token is gone; the next fetch is for the refusal, not a cold start
    await s.tm.get();
    expect(s.events.map((e) => (e.type === 'token-refresh' ? e.reason : ''))).toEqual(['cold', 'invalidated']);
  });
});

describe('single flight', () => {
  it('concurrent callers share one fetch, and one failure', async () => {
    const s = setup({ fetchDelayMs: 10 });
    s.fail(new Error('token endpoint down'));
    const results = await Promise.allSettled([s.tm.get(), s.tm.get(), s.tm.get()]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value))).toEqual([
      'token endpoint down',
      'token endpoint down',
      'token endpoint down',
    ]);
    expect(s.tm.fetchCount).toBe(1);
    expect(s.events).toMatchObject([{ type: 'token-refresh', vendor: 'acme', reason: 'cold', ok: false }]);
    // the failure is not remembered: the next call tries again
    s.fail(undefined);
    expect(await s.tm.get()).toBe('t1');
    expect(s.tm.fetchCount).toBe(2);
  });

  it('callers after a finished fetch do not join it: a later refresh is a new fetch', async () => {
    const s = setup({ lifetimeSeconds: 10, marginMs: 0 });
    expect(await Promise.all([s.tm.get(), s.tm.get()])).toEqual(['t1', 't1']);
    s.advance(10_000);
    expect(await Promise.all([s.tm.get(), s.tm.get()])).toEqual(['t2', 't2']);
  });
});

describe('token-refresh events and log lines', () => {
  it('report the vendor, the reason, the duration and success, at info level, with no token value', async () => {
    const s = setup();
    await s.tm.get();
    expect(s.events).toEqual([{ type: 'token-refresh', vendor: 'acme', reason: 'cold', durationMs: 7, ok: true }]);
    expect(s.logger.lines).toEqual([
      'scrm acme token-refresh {"event":"token-refresh","vendor":"acme","reason":"cold","durationMs":7,"ok":true}',
    ]);
    expect(s.logger.lines.join('\n')).not.toContain('t1');
  });

  it('a failed proactive refresh is reported as failed, and the current token is still handed out', async () => {
    const s = setup({ marginMs: 60_000 });
    await s.tm.get();
    s.advance(7_200_000 - 30_000);
    s.fail(new Error('down'));
    expect(await s.tm.get()).toBe('t1');
    expect(s.events.map((e) => (e.type === 'token-refresh' ? `${e.reason}:${e.ok}` : ''))).toEqual(['cold:true', 'expiring:false']);
  });
});

describe('the refresh lock of a shared store', () => {
  it('is taken for the key with the configured TTL (default 5 s), and released after the fetch', async () => {
    const taken: string[] = [];
    let released = 0;
    const r = recordingStore(async (k, ttl) => {
      taken.push(`${k} ${ttl}`);
      return async () => {
        released++;
      };
    });
    await setup({ store: r.store }).tm.get();
    await setup({
      store: recordingStore(async (k, ttl) => {
        taken.push(`${k} ${ttl}`);
        return async () => undefined;
      }).store,
      lockTtlMs: 1234,
    }).tm.get();
    expect(taken).toEqual(['key-1 5000', 'key-1 1234']);
    expect(released).toBe(1);
  });

  it('is released when the fetch fails, and a release that fails does not hide the token', async () => {
    let released = 0;
    const r = recordingStore(async () => async () => {
      released++;
      throw new Error('release failed');
    });
    const s = setup({ store: r.store });
    s.fail(new Error('down'));
    await expect(s.tm.get()).rejects.toThrow('down');
    expect(released).toBe(1);
    s.fail(undefined);
    expect(await s.tm.get()).toBe('t1');
    expect(released).toBe(2);
  });

  it('once taken, a fresh token another process stored meanwhile is used instead of fetching', async () => {
    const r = recordingStore(async () => {
      // between this manager's look-up and its lock, another process refreshed
      await r.inner.set('key-1', { value: 'theirs', expiresAt: 10_000_000, refreshAt: 9_000_000 });
      return async () => undefined;
    });
    const s = setup({ store: r.store });
    expect(await s.tm.get()).toBe('theirs');
    expect(s.tm.fetchCount).toBe(0);
  });

  it('once taken, the same token that was due is not taken for a new one: it is refreshed', async () => {
    const r = recordingStore(async () => async () => undefined);
    const s = setup({ store: r.store, marginMs: 60_000 });
    await r.inner.set('key-1', { value: 'due', expiresAt: s.now() + 30_000, refreshAt: s.now() - 1 });
    expect(await s.tm.get()).toBe('t1');
    expect(s.tm.fetchCount).toBe(1);
  });

  it('once taken, another process’s token that is itself due (refresh time = now) is not used: a new one is fetched', async () => {
    const r = recordingStore(async () => {
      await r.inner.set('key-1', { value: 'theirs', expiresAt: s.now() + 30_000, refreshAt: s.now() });
      return async () => undefined;
    });
    const s = setup({ store: r.store });
    expect(await s.tm.get()).toBe('t1');
    expect(s.tm.fetchCount).toBe(1);
  });

  it('a waiter does not take another process’s token that is itself due; it fetches once it gets the lock', async () => {
    let polls = 0;
    const r = recordingStore(async () => {
      polls++;
      if (polls === 1) {
        await r.inner.set('key-1', { value: 'theirs', expiresAt: s.now() + 30_000, refreshAt: s.now() });
        return null;
      }
      return async () => undefined;
    });
    const s = setup({ store: r.store });
    expect(await s.tm.get()).toBe('t1');
    expect(polls).toBe(2);
  });

  it('a waiter does not take the stale token it already saw for the other process’s new one', async () => {
    let polls = 0;
    const r = recordingStore(async () => {
      polls++;
      if (polls === 3) await r.inner.set('key-1', { value: 'theirs', expiresAt: 10_000_000, refreshAt: 9_000_000 });
      return null; // another process holds the lock
    });
    const s = setup({ store: r.store, marginMs: 60_000 });
    await r.inner.set('key-1', { value: 'due', expiresAt: s.now() + 30_000, refreshAt: s.now() - 1 });
    expect(await s.tm.get()).toBe('theirs');
    expect(s.tm.fetchCount).toBe(0);
    expect(polls).toBe(3);
  });
});

describe('tokenStoreKey', () => {
  it('gives different credentials different keys even when their parts concatenate alike', () => {
    expect(tokenStoreKey('wecom', 'ww1', ['ab', 'c'])).not.toBe(tokenStoreKey('wecom', 'ww1', ['a', 'bc']));
  });
});
