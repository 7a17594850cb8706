// The documented numbers, written out by hand, against the profile this client runs with (the snapshot of the
// compiled limits and the comparison with the spec are in packages/vendors/profiles.test.ts, for every vendor).
import { MemoryThrottleStore, type RateLimit, type ThrottleStore } from '@scrm-openapi/core';
import { createFakeFetch } from '@scrm-openapi/core/testing';
import { describe, expect, it } from 'vitest';
import { createWecomClient, wecomProfile as profile } from './index.js';

type Meta = { pagination?: unknown; rateLimitGroup?: string };
const operations = profile.operations as Record<string, Meta>;

describe('the compiled wecom profile', () => {
  it("holds WeCom's documented limits: 10,000 calls a minute and 150,000 an hour per API", () => {
    expect(profile.rateLimits).toEqual([
      { scope: 'operation', limit: 10_000, intervalMs: 60_000 },
      { scope: 'operation', limit: 150_000, intervalMs: 3_600_000 },
    ]);
    expect(operations['POST /cgi-bin/externalcontact/batch/get_by_user']?.pagination).toEqual({
      style: 'cursor',
      cursor: { in: 'body', param: 'cursor', next: 'next_cursor' },
      limit: { param: 'limit', max: 100 },
      items: 'external_contact_list',
    });
    expect(operations['POST /cgi-bin/externalcontact/groupchat/statistic']?.pagination).toMatchObject({
      style: 'offset',
      total: 'total',
      limit: { max: 1000 },
    });
  });

  it("holds the suite ticket's documented lifetime and push interval, and the install page (docs 90628, 90600, 90597)", () => {
    // pushed to the instruction callback URL every 10 minutes, each valid 30 minutes
    expect(profile.tokens?.suite?.ticket).toEqual({
      credential: 'suite_ticket',
      webhook: 'suite_ticket',
      field: 'SuiteTicket',
      ttlSeconds: 30 * 60,
      intervalSeconds: 10 * 60,
    });
    expect(profile.tokens?.suite?.installPage?.url).toBe('https://open.work.weixin.qq.com/3rdapp/install');
    expect(Object.entries(profile.tokens?.suite?.installPage?.query ?? {})).toEqual([
      ['suite_id', 'suiteId'],
      ['pre_auth_code', 'preAuthCode'],
      ['redirect_uri', 'redirectUri'],
      ['state', 'state'],
    ]);
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
      call.path.endsWith('/gettoken') ? { errcode: 0, access_token: 'tok-0001', expires_in: 7200 } : { errcode: 0, follow_user: [] },
    );
    const wecom = createWecomClient({ corpId: 'ww0001', corpSecret: 'secret-0001', fetch, throttle: { store } });
    await wecom.GET('/cgi-bin/externalcontact/get_follow_user_list');
    const mine = reserved.filter((r) => r.key.includes(':op:getFollowUserList:'));
    expect(mine.map((r) => [r.limit.limit, r.limit.intervalMs])).toEqual([
      [10_000, 60_000],
      [150_000, 3_600_000],
    ]);
  });
});
