// The WeCom state keeps WeCom's 「联系我」 quotas, which also bound how much it grows however long the sandbox runs
// (a load test, a bench): at most 500,000 configs (41045 past it, one deleted frees a place), temporary-session ones
// not counted towards it but at most 100,000 new ones per day. The behaviour is tested with small quotas.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { loadSpec } from '../spec.js';
import type { HandlerContext, VendorState } from './index.js';
import { WAY_QUOTA, WAY_TEMP_PER_DAY, wecom } from './wecom.js';

type Json = Record<string, any>;
const DAY = 86_400_000;

const QUOTAS = { ways: 50, tempWaysPerDay: 20 };

function contactWays() {
  const random = createRandom(1);
  const state: VendorState = wecom.create(random, {}, QUOTAS);
  let now = Date.UTC(2026, 0, 1, 12);
  const call = (id: string, body: Json): Json => {
    const ctx = {
      body,
      query: {},
      params: {},
      ok: (fields: Json) => ({ errcode: 0, errmsg: 'ok', ...fields }),
      fail: (code: number, message: string) => ({ __error: { code, message } }),
      random,
      now,
    } as unknown as HandlerContext;
    return state.handlers[id]!(ctx) as Json;
  };
  return {
    add: (body: Json = {}) => call('addContactWay', { type: 1, scene: 2, user: ['zhangsan'], ...body }),
    del: (config_id: string) => call('delContactWay', { config_id }),
    get: (config_id: string) => call('getContactWay', { config_id }),
    nextDay: () => {
      now += DAY;
    },
  };
}

describe('wecom contact ways (「联系我」)', () => {
  it('keep the quotas WeCom documents', () => {
    const text = JSON.stringify(loadSpec('wecom').paths['/cgi-bin/externalcontact/add_contact_way']);
    expect(WAY_QUOTA).toBe(500_000);
    expect(WAY_TEMP_PER_DAY).toBe(100_000);
    expect(text).toContain('500,000');
    expect(text).toContain('100,000');
  });

  it('are refused with 41045 past the quota, and one deleted frees a place', () => {
    const ways = contactWays();
    let last = '';
    // the seed has one config already
    for (let i = 1; i < QUOTAS.ways; i++) last = ways.add().config_id;
    const refused = ways.add();
    expect(refused.__error?.code).toBe(41045);
    expect(ways.add({ scene: 1 }).__error?.code).toBe(41045);
    expect(ways.del(last).__error).toBeUndefined();
    const again = ways.add();
    expect(again.__error).toBeUndefined();
    expect(ways.get(again.config_id).contact_way.config_id).toBe(again.config_id);
    expect(ways.add().__error?.code).toBe(41045);
  });

  it('temporary-session configs do not count towards the quota, but are limited per day', () => {
    const ways = contactWays();
    const temp = { is_temp: true, expires_in: 86_400 };
    for (let i = 0; i < QUOTAS.tempWaysPerDay; i++) expect(ways.add(temp).__error).toBeUndefined();
    expect(ways.add(temp).__error?.code).toBe(41045);
    // they leave the quota untouched: all of it is still there
    for (let i = 1; i < QUOTAS.ways; i++) expect(ways.add().__error).toBeUndefined();
    expect(ways.add().__error?.code).toBe(41045);
    ways.nextDay();
    expect(ways.add(temp).__error).toBeUndefined();
  });
});
