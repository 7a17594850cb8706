// Operations of one `x-scrm-rate-limit.group` draw from one budget: calls split across two of them are spaced as one
// stream. Checked on the throttle store's reservations, with the clock frozen (only Date is faked; the short waits
// are real), so the expected waits are exact rather than timed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createScrmClient } from './client.js';
import { createFakeFetch } from './testing.js';
import { MemoryThrottleStore, throttleKeys, type RateLimit, type RateLimitRule, type ThrottleStore } from './throttle.js';
import { staticKeyProfile } from './test-support.js';

/** A memory throttle store that writes down every reservation: key and the wait it handed out. */
class RecordingStore implements ThrottleStore {
  readonly inner = new MemoryThrottleStore();
  readonly reservations: { key: string; wait: number }[] = [];
  async reserve(key: string, limit: RateLimit, now: number): Promise<number> {
    const wait = await this.inner.reserve(key, limit, now);
    this.reservations.push({ key, wait });
    return wait;
  }
  penalize(key: string, until: number, limit: RateLimit, now: number): Promise<void> {
    return this.inner.penalize(key, until, limit, now);
  }
}

// 50 a second with no burst: one request every 20 ms for the whole group
const groupRule: RateLimitRule = { scope: 'group', group: 'group-level', limit: 50, intervalMs: 1000, burst: 1 };
const profile = staticKeyProfile({
  operations: {
    'GET /bot/list': { id: 'groupBotList', idempotent: true, rateLimitGroup: 'group-level' },
    'POST /message/send': { id: 'groupMessageSend', idempotent: false, rateLimitGroup: 'group-level' },
    'GET /other/list': { id: 'otherList', idempotent: true, rateLimitGroup: 'other-group' },
    'GET /free': { id: 'free', idempotent: true },
  },
  rateLimits: [groupRule, { scope: 'group', group: 'other-group', limit: 50, intervalMs: 1000, burst: 1 }],
});
type Api = Record<'GET' | 'POST', (path: string, init?: unknown) => Promise<{ data?: unknown; error?: unknown }>>;

function client() {
  const store = new RecordingStore();
  const fetch = createFakeFetch(() => ({ code: 0 }));
  const api = createScrmClient(profile, { key: 'k-0001' }, { fetch, throttle: { store } }) as unknown as Api;
  return { api, store, fetch };
}

const T = Date.UTC(2026, 0, 5, 8, 0, 0);
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a rate-limit group', () => {
  it('spaces calls split across two of its operations as one stream', async () => {
    const { api, store, fetch } = client();
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? api.GET('/bot/list') : api.POST('/message/send', { body: {} }))));
    expect(fetch.calls.map((c) => c.path).sort()).toEqual([...Array(3).fill('/bot/list'), ...Array(3).fill('/message/send')]);
    // one key for both operations, and six consecutive slots of that one budget (two budgets would give 0,0,20,20,40,40)
    expect(new Set(store.reservations.map((r) => r.key)).size).toBe(1);
    expect(store.reservations[0]?.key).toMatch(/:group:group-level:50\/1000$/);
    expect(store.reservations.map((r) => r.wait).sort((a, b) => a - b)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('counts the calls of one operation against the next call of the other', async () => {
    const { api, store } = client();
    await Promise.all([api.GET('/bot/list'), api.GET('/bot/list'), api.GET('/bot/list')]);
    await api.POST('/message/send', { body: {} });
    // the clock stands still: the fourth slot of the group is 60 ms out, whichever operation takes it
    expect(store.reservations.at(-1)?.wait).toBe(60);
  });

  it('leaves operations outside the group, and other groups, on budgets of their own', async () => {
    const { api, store } = client();
    await Promise.all([api.GET('/bot/list'), api.GET('/bot/list'), api.GET('/other/list'), api.GET('/free'), api.GET('/free')]);
    const waits = (suffix: string) =>
      store.reservations
        .filter((r) => r.key.includes(suffix))
        .map((r) => r.wait)
        .sort((a, b) => a - b);
    expect(waits(':group:group-level:')).toEqual([0, 20]);
    expect(waits(':group:other-group:')).toEqual([0]);
    expect(store.reservations).toHaveLength(3); // `/free` has no rule: nothing reserved, nothing waited
  });
});

describe('throttleKeys for a group', () => {
  it('gives every operation of the group the same key, and none to an operation outside it', () => {
    const keys = (id: string, group?: string) => throttleKeys([groupRule], 's', { id, group }).map((k) => k.key);
    expect(keys('groupBotList', 'group-level')).toEqual(['s:group:group-level:50/1000']);
    expect(keys('groupMessageSend', 'group-level')).toEqual(keys('groupBotList', 'group-level'));
    expect(keys('channelList')).toEqual([]);
    expect(keys('otherList', 'other-group')).toEqual([]);
  });
});
