// The documented numbers, written out by hand, against the profile this client runs with (the snapshot of the
// compiled limits and the comparison with the spec are in packages/vendors/profiles.test.ts, for every vendor).
import { MemoryThrottleStore, type RateLimit, type ThrottleStore } from '@scrm-openapi/core';
import { createFakeFetch } from '@scrm-openapi/core/testing';
import { describe, expect, it } from 'vitest';
import { createWeilingClient, weilingProfile as profile } from './index.js';

type Meta = { pagination?: unknown; rateLimitGroup?: string };
const operations = profile.operations as Record<string, Meta>;

describe('the compiled weiling profile', () => {
  it("holds Weiling's documented limits: 500 calls a minute and 10,000 an hour per API", () => {
    expect(profile.rateLimits).toEqual([
      { scope: 'operation', limit: 500, intervalMs: 60_000 },
      { scope: 'operation', limit: 10_000, intervalMs: 3_600_000 },
    ]);
    expect(operations['GET /openapi/user/dept_user/list']?.pagination).toEqual({
      style: 'cursor',
      cursor: { in: 'query', param: 'cursor', next: 'data.cursor' },
      items: 'data.dept_users',
    });
  });

  it('is what a client throttles by: every call reserves the two per-API limits of its own operation', async () => {
    const reserved: { key: string; limit: RateLimit }[] = [];
    const inner = new MemoryThrottleStore();
    const store: ThrottleStore = {
      reserve: (key, limit, now) => {
        reserved.push({ key, limit });
        return inner.reserve(key, limit, now);
      },
      penalize: (key, until, limit, now) => inner.penalize(key, until, limit, now),
    };
    const fetch = createFakeFetch((call) =>
      call.path.endsWith('/access_token/get')
        ? { code: 0, data: { access_token: 'tok-0001', expires_in: 7200 } }
        : { code: 0, data: { cursor: '', dept_users: [] } },
    );
    const weiling = createWeilingClient({ appId: 'app-0001', appSecret: 'secret-0001', fetch, throttle: { store } });
    await weiling.GET('/openapi/user/dept_user/list', { params: { query: {} } } as never);
    const mine = reserved.filter((r) => r.key.includes(':op:userDeptUserList:'));
    expect(mine.map((r) => [r.limit.limit, r.limit.intervalMs])).toEqual([
      [500, 60_000],
      [10_000, 3_600_000],
    ]);
  });
});
