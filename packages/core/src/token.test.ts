import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, TokenManager, tokenStoreKey } from './token.js';

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
