import { describe, expect, it } from 'vitest';
import { createScrmClient } from './client.js';
import type { ScrmEvent } from './logger.js';
import { createFakeFetch } from './testing.js';
import { gcra, MemoryThrottleStore, throttleKeys } from './throttle.js';
import { staticKeyProfile } from './test-support.js';

describe('GCRA', () => {
  it('lets a burst through, then spaces requests interval/limit apart', () => {
    const limit = { limit: 10, intervalMs: 1000, burst: 3 };
    let tat: number | undefined;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = gcra(tat, limit, 0);
      tat = r.tat;
      waits.push(r.wait);
    }
    expect(waits).toEqual([0, 0, 0, 100, 200, 300]);
  });

  it('refills with time', () => {
    const limit = { limit: 10, intervalMs: 1000, burst: 1 };
    const first = gcra(undefined, limit, 0);
    expect(gcra(first.tat, limit, 100).wait).toBe(0);
    expect(gcra(first.tat, limit, 50).wait).toBe(50);
  });

  it('holds back every request after a penalty', async () => {
    const store = new MemoryThrottleStore();
    const limit = { limit: 100, intervalMs: 1000, burst: 5 };
    await store.penalize('k', 2000, limit, 0);
    expect(await store.reserve('k', limit, 0)).toBeGreaterThanOrEqual(2000);
  });

  it('keys limits per operation, per group and per credential', () => {
    const rules = [
      { scope: 'operation' as const, limit: 500, intervalMs: 60_000 },
      { scope: 'group' as const, group: 'group-level', limit: 500, intervalMs: 30_000 },
      { scope: 'vendor' as const, limit: 50, intervalMs: 1000 },
    ];
    expect(throttleKeys(rules, 's', { id: 'botList', group: 'group-level' }).map((k) => k.key)).toEqual([
      's:op:botList:500/60000',
      's:group:group-level:500/30000',
      's:all:50/1000',
    ]);
    expect(throttleKeys(rules, 's', { id: 'tagList' }).map((k) => k.key)).toEqual(['s:op:tagList:500/60000', 's:all:50/1000']);
  });
});

describe('the client throttle', () => {
  const profile = staticKeyProfile({
    errorActions: { '1009': 'throttle' },
    operations: { 'GET /x': { id: 'x', idempotent: true } },
    rateLimits: [{ scope: 'operation', limit: 20, intervalMs: 1000, burst: 1 }],
  });
  type Api = { GET(path: string): Promise<{ data?: unknown; error?: unknown }> };

  it('holds the configured rate: 20/s over one second sends about 20 requests', async () => {
    const fetch = createFakeFetch(() => ({ code: 0 }));
    const api = createScrmClient(profile, { key: 'k-0001' }, { fetch }) as unknown as Api;
    const started = Date.now();
    let sent = 0;
    const workers = Array.from({ length: 8 }, async () => {
      while (Date.now() - started < 1000) {
        await api.GET('/x');
        sent++;
      }
    });
    await Promise.all(workers);
    // each worker may start one more request just before the deadline
    expect(sent).toBeGreaterThanOrEqual(18);
    expect(sent).toBeLessThanOrEqual(30);
  });

  it('reports throttle waits as events, and can be switched off', async () => {
    const events: ScrmEvent[] = [];
    const api = createScrmClient(
      profile,
      { key: 'k-0001' },
      { fetch: createFakeFetch(() => ({ code: 0 })), onEvent: (e) => events.push(e) },
    ) as unknown as Api;
    await Promise.all([api.GET('/x'), api.GET('/x'), api.GET('/x')]);
    expect(events.filter((e) => e.type === 'throttle-wait').length).toBeGreaterThanOrEqual(1);
    const free = createScrmClient(
      profile,
      { key: 'k-0001' },
      { fetch: createFakeFetch(() => ({ code: 0 })), throttle: false },
    ) as unknown as Api;
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => free.GET('/x')));
    expect(Date.now() - t0).toBeLessThan(200);
  });

  it('backs every caller off after a rate-limit code, not only the retry', async () => {
    let n = 0;
    const fetch = createFakeFetch(() => (++n === 1 ? { code: 1009, msg: 'too frequent' } : { code: 0 }));
    const api = createScrmClient(
      profile,
      { key: 'k-0001' },
      {
        fetch,
        retry: { throttleDelayMs: 300, baseDelayMs: 1 },
        throttle: { rules: [{ scope: 'operation', limit: 1000, intervalMs: 1000, burst: 100 }] },
      },
    ) as unknown as Api;
    const first = api.GET('/x');
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await api.GET('/x'); // a second caller: must wait for the penalty too
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    await first;
  });
});
