// The documented numbers, written out by hand, against the profile this client runs with (the snapshot of the
// compiled limits and the comparison with the spec are in packages/vendors/profiles.test.ts, for every vendor).
import type { VendorProfile } from '@scrm-openapi/core';
import { describe, expect, it } from 'vitest';
import { jijyunProfile as profile } from './index.js';

type Meta = { pagination?: unknown; rateLimitGroup?: string };
const operations = profile.operations as Record<string, Meta>;
// Jijyun's profile carries no `rateLimits` key at all (its type says so): read it through the general shape
const rateLimits = (profile as VendorProfile).rateLimits;

describe('the compiled jijyun profile', () => {
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
