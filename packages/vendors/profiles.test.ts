// Each vendor's spec runtime limits, as compiled into the profile its client runs with: the rate limits, per
// operation its paging and its rate-limit group, and per token kind its pushed ticket and install page. A generator that scaled the rates or dropped a field would still
// type-check and pass the client tests; these tests fail on it against a committed snapshot (one per vendor package,
// `packages/<vendor>/__snapshots__/profile.runtime-limits.json`) and against the spec itself. The documented numbers,
// written out by hand, are checked in each vendor package's own `profile.test.ts`.
import path from 'node:path';
import type { VendorProfile } from '@scrm-openapi/core';
import { describe, expect, it } from 'vitest';
import { bundledSpec, vendors } from './index.mjs';

type Meta = { pagination?: unknown; rateLimitGroup?: string };

/** The lifetimes and pages of the token kinds that have them: each pushed ticket and install page, by kind. */
function tokenFacts(profile: VendorProfile) {
  return Object.entries(profile.tokens ?? {})
    .filter(([, kind]) => kind.ticket !== undefined || kind.installPage !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, kind]) => [name, { ticket: kind.ticket ?? null, installPage: kind.installPage ?? null }] as const);
}

/**
 * What the runtime enforces from the spec, in a stable order: the rate limits and each limited or paged operation,
 * and (for a vendor that has them) its token kinds' pushed tickets and install pages.
 */
function runtimeLimits(profile: VendorProfile) {
  const ops = Object.entries(profile.operations as Record<string, Meta>)
    .filter(([, m]) => m.pagination !== undefined || m.rateLimitGroup !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, m]) => [key, { pagination: m.pagination ?? null, rateLimitGroup: m.rateLimitGroup ?? null }]);
  const tokens = tokenFacts(profile);
  return {
    rateLimits: profile.rateLimits ?? null,
    operations: Object.fromEntries(ops),
    ...(tokens.length ? { tokens: Object.fromEntries(tokens) } : {}),
  };
}

/** Every operation of a bundled spec with its method-and-path key. */
function specOperations(spec: Record<string, any>): [string, Record<string, any>][] {
  const out: [string, Record<string, any>][] = [];
  for (const [route, item] of Object.entries<Record<string, any>>(spec.paths)) {
    for (const [method, op] of Object.entries<any>(item))
      if (op && typeof op === 'object' && op.operationId) out.push([`${method.toUpperCase()} ${route}`, op]);
  }
  return out;
}

for (const vendor of vendors.filter((v) => v.clientPackage)) {
  describe(`the compiled ${vendor.name} profile`, () => {
    const load = async () => {
      const client = (await import(vendor.clientPackage as string)) as Record<string, unknown>;
      const profile = client[`${vendor.name}Profile`] as VendorProfile | undefined;
      if (!profile) throw new Error(`${vendor.clientPackage} exports no ${vendor.name}Profile`);
      return profile;
    };

    it('matches the committed snapshot of its rate limits, paging, rate-limit groups, pushed tickets and install pages', async () => {
      const snapshot = path.join(vendor.packageDir as string, '__snapshots__', 'profile.runtime-limits.json');
      await expect(`${JSON.stringify(runtimeLimits(await load()), null, 2)}\n`).toMatchFileSnapshot(snapshot);
    });

    it("says what the spec says: x-scrm-rate-limits in milliseconds, and each operation's paging and group", async () => {
      const profile = await load();
      const spec = bundledSpec(vendor);
      const rules = (spec['x-scrm-rate-limits'] ?? []).map((r: any) => ({
        scope: r.scope,
        group: r.group,
        limit: r.limit,
        intervalMs: r.perSeconds * 1000,
        burst: r.burst,
      }));
      expect(profile.rateLimits ?? []).toEqual(rules);
      const operations = profile.operations as Record<string, Meta>;
      for (const [key, op] of specOperations(spec)) {
        const meta = operations[key];
        expect(meta, key).toBeDefined();
        expect(meta?.rateLimitGroup, key).toBe(op['x-scrm-rate-limit']?.group);
        const paging = op['x-scrm-pagination'];
        expect(meta?.pagination, key).toEqual(
          paging && paging.style === 'page' ? { ...paging, page: { start: 1, ...paging.page } } : paging,
        );
      }
    });

    it("says what the spec says of each token kind's pushed ticket and install page (x-scrm-tokens)", async () => {
      const profile = await load();
      const kinds = bundledSpec(vendor)['x-scrm-tokens'] ?? {};
      expect(Object.keys(profile.tokens ?? {}).sort()).toEqual(Object.keys(kinds).sort());
      for (const [name, kind] of Object.entries<any>(kinds)) {
        expect(profile.tokens?.[name]?.ticket, name).toEqual(kind.ticket);
        expect(profile.tokens?.[name]?.installPage, name).toEqual(kind.installPage);
      }
    });
  });
}
