// The spec's runtime limits, as compiled into the generated profile: rate limits, and per operation its paging and its
// rate-limit group. A generator that scaled the rates or dropped a field would still type-check and pass the client
// tests; these tests fail on it three ways — against a committed snapshot, against the spec itself, and against the
// documented numbers written out by hand.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { MemoryThrottleStore, type RateLimit, type ThrottleStore } from '@scrm-openapi/core';
import { createFakeFetch } from '@scrm-openapi/core/testing';
import { describe, expect, it } from 'vitest';
import { createWeilingClient, weilingProfile as profile } from './index.js';

const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@scrm-openapi/weiling-spec/openapi.json'), 'utf8'));
type Meta = { pagination?: unknown; rateLimitGroup?: string };
const operations = profile.operations as Record<string, Meta>;

/** What the runtime enforces from the spec, in a stable order: the rate limits and each limited or paged operation. */
function runtimeLimits() {
  const ops = Object.entries(operations)
    .filter(([, m]) => m.pagination !== undefined || m.rateLimitGroup !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, m]) => [key, { pagination: m.pagination ?? null, rateLimitGroup: m.rateLimitGroup ?? null }]);
  return { rateLimits: profile.rateLimits ?? null, operations: Object.fromEntries(ops) };
}

/** Every operation of the bundled spec with its method-and-path key. */
function specOperations(): [string, Record<string, any>][] {
  const out: [string, Record<string, any>][] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(item))
      if (op && typeof op === 'object' && op.operationId) out.push([`${method.toUpperCase()} ${path}`, op]);
  }
  return out;
}

describe('the compiled weiling profile', () => {
  it('matches the committed snapshot of its rate limits, paging and rate-limit groups', async () => {
    await expect(`${JSON.stringify(runtimeLimits(), null, 2)}\n`).toMatchFileSnapshot('../__snapshots__/profile.runtime-limits.json');
  });

  it("says what the spec says: x-scrm-rate-limits in milliseconds, and each operation's paging and group", () => {
    const rules = (spec['x-scrm-rate-limits'] ?? []).map((r: any) => ({
      scope: r.scope,
      group: r.group,
      limit: r.limit,
      intervalMs: r.perSeconds * 1000,
      burst: r.burst,
    }));
    expect(profile.rateLimits ?? []).toEqual(rules);
    for (const [key, op] of specOperations()) {
      const meta = operations[key];
      expect(meta, key).toBeDefined();
      expect(meta?.rateLimitGroup, key).toBe(op['x-scrm-rate-limit']?.group);
      const paging = op['x-scrm-pagination'];
      expect(meta?.pagination, key).toEqual(paging && paging.style === 'page' ? { ...paging, page: { start: 1, ...paging.page } } : paging);
    }
  });

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
