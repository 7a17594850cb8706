// The spec's runtime limits, as compiled into the generated profile: rate limits, and per operation its paging and its
// rate-limit group. A generator that scaled the rates or dropped a field would still type-check and pass the client
// tests; these tests fail on it three ways — against a committed snapshot, against the spec itself, and against the
// documented numbers written out by hand.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { VendorProfile } from '@scrm-openapi/core';
import { describe, expect, it } from 'vitest';
import { jijyunProfile as profile } from './index.js';

const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@scrm-openapi/jijyun-spec/openapi.json'), 'utf8'));
type Meta = { pagination?: unknown; rateLimitGroup?: string };
const operations = profile.operations as Record<string, Meta>;
// Jijyun's profile carries no `rateLimits` key at all (its type says so): read it through the general shape
const rateLimits = (profile as VendorProfile).rateLimits;

/** What the runtime enforces from the spec, in a stable order: the rate limits and each limited or paged operation. */
function runtimeLimits() {
  const ops = Object.entries(operations)
    .filter(([, m]) => m.pagination !== undefined || m.rateLimitGroup !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, m]) => [key, { pagination: m.pagination ?? null, rateLimitGroup: m.rateLimitGroup ?? null }]);
  return { rateLimits: rateLimits ?? null, operations: Object.fromEntries(ops) };
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

describe('the compiled jijyun profile', () => {
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
    expect(rateLimits ?? []).toEqual(rules);
    for (const [key, op] of specOperations()) {
      const meta = operations[key];
      expect(meta, key).toBeDefined();
      expect(meta?.rateLimitGroup, key).toBe(op['x-scrm-rate-limit']?.group);
      const paging = op['x-scrm-pagination'];
      expect(meta?.pagination, key).toEqual(paging && paging.style === 'page' ? { ...paging, page: { start: 1, ...paging.page } } : paging);
    }
  });

  it('holds no rate limit Jijyun does not document, and its zero-based page numbers', () => {
    // Jijyun documents per-second HTTP 429s without a number: nothing is compiled, the client does not guess
    expect(rateLimits).toBeUndefined();
    expect(operations['GET /v1/openapi/wxwork/group/list']?.pagination).toEqual({
      style: 'page',
      page: { in: 'query', param: 'current', start: 0 },
      total: 'Data.total',
      limit: { param: 'pageSize', max: 100 },
      items: 'Data.data',
    });
  });
});
