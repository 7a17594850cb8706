import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, TokenManager, tokenStoreKey, type TokenStore } from './token.js';

function manager(options: { lifetime?: number; now?: () => number; fail?: () => boolean } = {}) {
  let n = 0;
  const store = new MemoryTokenStore();
  const tm = new TokenManager({
    vendor: 'test',
    key: 'k',
    store,
    now: options.now,
    refreshMarginMs: 60_000,
    fetchToken: async () => {
      await new Promise((r) => setTimeout(r, 5));
      if (options.fail?.()) throw new Error('token endpoint down');
      return { value: `t${++n}`, expiresInSeconds: options.lifetime ?? 7200 };
    },
  });
  return { tm, store, fetches: () => n };
}

describe('TokenManager', () => {
  it('shares one fetch between concurrent callers', async () => {
    const { tm, fetches } = manager();
    const values = await Promise.all(Array.from({ length: 50 }, () => tm.get()));
    expect(new Set(values)).toEqual(new Set(['t1']));
    expect(fetches()).toBe(1);
  });

  it('invalidates only the token that was refused', async () => {
    const { tm, store } = manager();
    await tm.get();
    await tm.invalidate('some-older-token');
    expect((await store.get('k'))?.value).toBe('t1');
    await tm.invalidate('t1');
    expect(await store.get('k')).toBeUndefined();
    expect(await tm.get()).toBe('t2');
  });

  it('refreshes inside the margin and keeps the old token if that refresh fails', async () => {
    let clock = 0;
    let failing = false;
    const { tm, fetches } = manager({ now: () => clock, fail: () => failing });
    expect(await tm.get()).toBe('t1');
    clock = 7200_000 - 30_000; // 30 s before expiry, inside the 60 s margin
    failing = true;
    expect(await tm.get()).toBe('t1');
    failing = false;
    clock += 5_000; // a failed refresh is tried again after a pause (token.edges.test.ts)
    expect(await tm.get()).toBe('t2');
    expect(fetches()).toBe(2);
  });

  it('fetches again once the token expired', async () => {
    let clock = 0;
    const { tm } = manager({ now: () => clock, lifetime: 10 });
    expect(await tm.get()).toBe('t1');
    clock = 11_000;
    expect(await tm.get()).toBe('t2');
  });

  it('builds store keys that never contain the secret', () => {
    const key = tokenStoreKey('wecom', 'ww1', ['super-secret']);
    expect(key).toMatch(/^scrm:wecom:token:ww1:[0-9a-f]{16}$/);
    expect(key).not.toContain('super-secret');
    expect(tokenStoreKey('wecom', 'ww1', ['other-secret'])).not.toBe(key);
  });
});

describe('TokenManager with a shared store and its lock', () => {
  it('lets exactly one of several managers fetch while the others wait for its token', async () => {
    const inner = new MemoryTokenStore();
    let locked = false;
    const shared = {
      get: (k: string) => inner.get(k),
      set: (k: string, t: { value: string; expiresAt: number }) => inner.set(k, t),
      delete: (k: string, v?: string) => inner.delete(k, v),
      acquireLock: async () => {
        if (locked) return null;
        locked = true;
        return async () => {
          locked = false;
        };
      },
    };
    let fetches = 0;
    const managers = Array.from(
      { length: 4 },
      () =>
        new TokenManager({
          vendor: 'test',
          key: 'k',
          store: shared,
          lockPollMs: 5,
          fetchToken: async () => {
            fetches++;
            await new Promise((r) => setTimeout(r, 30));
            return { value: 'shared-token', expiresInSeconds: 7200 };
          },
        }),
    );
    const values = await Promise.all(managers.flatMap((m) => [m.get(), m.get(), m.get()]));
    expect(new Set(values)).toEqual(new Set(['shared-token']));
    expect(fetches).toBe(1);
  });

  it('after a holder dies, exactly one waiter fetches once its lock expires; a lock that never frees is given up after two TTLs', async () => {
    // a shared store whose lock expires after its TTL, like Redis's SET NX PX; a dead holder took it and will never release
    const inner = new MemoryTokenStore();
    let lockedUntil = Date.now() + 200;
    const shared = {
      get: (k: string) => inner.get(k),
      set: (k: string, t: { value: string; expiresAt: number }) => inner.set(k, t),
      delete: (k: string, v?: string) => inner.delete(k, v),
      acquireLock: async (_k: string, ttl: number) => {
        if (Date.now() < lockedUntil) return null;
        lockedUntil = Date.now() + ttl;
        return async () => {
          lockedUntil = 0;
        };
      },
    };
    let fetches = 0;
    const waiter = (store: TokenStore) =>
      new TokenManager({
        vendor: 'test',
        key: 'k',
        store,
        lockTtlMs: 200,
        lockPollMs: 5,
        fetchToken: async () => {
          fetches++;
          await new Promise((r) => setTimeout(r, 100)); // outlives the other waiters' first TTL
          return { value: `t${fetches}`, expiresInSeconds: 7200 };
        },
      });
    const values = await Promise.all([1, 2, 3].map(() => waiter(shared).get()));
    expect(fetches).toBe(1);
    expect(values).toEqual(['t1', 't1', 't1']);

    // a store whose lock is never free: nobody waits forever
    const stuck = { ...shared, acquireLock: async () => null };
    await inner.delete('k');
    const started = Date.now();
    expect(await waiter(stuck).get()).toBe('t2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });
});
