// The documented numbers, written out by hand, against the profile this client runs with (the snapshot of the
// compiled limits and the comparison with the spec are in packages/vendors/profiles.test.ts, for every vendor).
import { MemoryThrottleStore, type ThrottleStore } from '@scrm-openapi/core';
import { createFakeFetch } from '@scrm-openapi/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJuzibotClient, juzibotProfile as profile } from './index.js';

type Meta = { pagination?: unknown; rateLimitGroup?: string; server?: string };
const operations = profile.operations as Record<string, Meta>;

const GROUP_LEVEL = [
  'GET /bot/list',
  'GET /broadcast/failedList',
  'GET /broadcast/get_job_progress',
  'GET /broadcast/list_unsent_tasks',
  'GET /contact/list',
  'GET /room/list',
  'POST /broadcast/cancel',
  'POST /broadcast/create',
  'POST /broadcast/delete',
  'POST /broadcast/resend',
  'POST /message/send',
  'POST /room/addMember',
];

describe('the compiled juzibot profile', () => {
  it("holds Juzibot's documented group-level limit: 500 requests per 30 s, for every operation on the group-level host", () => {
    expect(profile.rateLimits).toEqual([{ scope: 'group', group: 'group-level', limit: 500, intervalMs: 30_000 }]);
    const grouped = Object.entries(operations)
      .filter(([, m]) => m.rateLimitGroup === 'group-level')
      .map(([key]) => key)
      .sort();
    expect(grouped).toEqual(GROUP_LEVEL);
    const onGroupHost = Object.entries(operations)
      .filter(([, m]) => m.server === 'https://ex-api.botorange.com')
      .map(([key]) => key)
      .sort();
    expect(onGroupHost).toEqual(GROUP_LEVEL);
    expect(operations['GET /api/v1/channel/list']?.pagination).toEqual({
      style: 'page',
      page: { in: 'query', param: 'current', start: 1 },
      total: 'total',
      limit: { param: 'pageSize', max: 1000 },
      items: 'data',
    });
  });
});

describe('the group-level budget at run time', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is one budget: 52 calls split across /bot/list and /message/send get 50 at once (the burst), then 60 ms apart', async () => {
    // Date is frozen (timers stay real) so the throttle's waits are exact: 500 per 30 s is one slot every 60 ms, and
    // the default burst is a tenth of the limit
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 5, 8, 0, 0));
    const waits: { key: string; wait: number }[] = [];
    const inner = new MemoryThrottleStore();
    const store: ThrottleStore = {
      reserve: async (key, limit, now) => {
        const wait = await inner.reserve(key, limit, now);
        waits.push({ key, wait });
        return wait;
      },
      penalize: (key, until, limit, now) => inner.penalize(key, until, limit, now),
    };
    const fetch = createFakeFetch(() => ({ code: 0, message: 'ok', data: [] }));
    const juzibot = createJuzibotClient({ token: 'token-0001', groupToken: 'group-0001', fetch, throttle: { store } });
    await Promise.all(
      Array.from({ length: 52 }, (_, i) =>
        i % 2 === 0
          ? juzibot.GET('/bot/list')
          : juzibot.POST('/message/send', { body: { chatId: 'c1', messageType: 7, payload: { text: 'hi' } } as never }),
      ),
    );
    expect(fetch.calls).toHaveLength(52);
    expect(new Set(waits.map((w) => w.key)).size).toBe(1);
    const sorted = waits.map((w) => w.wait).sort((a, b) => a - b);
    expect(sorted.filter((w) => w === 0)).toHaveLength(50);
    expect(sorted.slice(50)).toEqual([60, 120]);
  });
});
