import type { OperationMeta, VendorProfile } from '@scrm-openapi/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ScrmPaginationError, wecomProfile } from './index.js';
import { client, fakeWecom, ok } from './test-support.js';

const LIST_WAY = '/cgi-bin/externalcontact/list_contact_way';

function threePages() {
  const pages: Record<string, { ids: string[]; next: string }> = {
    '': { ids: ['c1', 'c2'], next: 'cur-2' },
    'cur-2': { ids: ['c3', 'c4'], next: 'cur-3' },
    'cur-3': { ids: ['c5'], next: '' },
  };
  return fakeWecom((call) => {
    const body = call.body as { cursor?: string; limit?: number; start_time?: number };
    const page = pages[body.cursor ?? ''];
    if (!page) return { errcode: 50100, errmsg: 'invalid cursor' };
    return ok({ contact_way: page.ids.map((config_id) => ({ config_id })), next_cursor: page.next });
  });
}

describe('paginate()', () => {
  it('walks list_contact_way across three pages, passing the cursor in the body', async () => {
    const wecom = threePages();
    const ids: string[] = [];
    for await (const way of client(wecom.fetch).paginate(LIST_WAY, { body: { start_time: 1700000000, limit: 2 } })) {
      // the id of each listed config is always sent (x-scrm-required-because: official-schema)
      expectTypeOf(way.config_id).toEqualTypeOf<string>();
      ids.push(way.config_id);
    }
    expect(ids).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    const bodies = wecom.businessCalls().map((c) => c.body);
    expect(bodies).toEqual([
      { start_time: 1700000000, limit: 2 },
      { start_time: 1700000000, limit: 2, cursor: 'cur-2' },
      { start_time: 1700000000, limit: 2, cursor: 'cur-3' },
    ]);
  });

  it('yields whole pages with .pages() and collects with .toArray()', async () => {
    const api = client(threePages().fetch);
    const sizes: number[] = [];
    for await (const page of api.paginate(LIST_WAY).pages()) sizes.push(page.contact_way?.length ?? 0);
    expect(sizes).toEqual([2, 2, 1]);
    expect(await api.paginate(LIST_WAY).toArray()).toHaveLength(5);
  });

  it('caps the page size at the documented maximum (1000)', async () => {
    const wecom = threePages();
    await client(wecom.fetch).paginate(LIST_WAY, undefined, { pageSize: 5000 }).toArray();
    expect((wecom.businessCalls()[0]!.body as { limit: number }).limit).toBe(1000);
  });

  it('refuses to collect more than maxItems instead of dropping items silently', async () => {
    const api = client(threePages().fetch);
    await expect(api.paginate(LIST_WAY).toArray({ maxItems: 3 })).rejects.toBeInstanceOf(ScrmPaginationError);
  });

  it('stops with ScrmPaginationError when WeCom repeats a cursor', async () => {
    const wecom = fakeWecom(() => ok({ contact_way: [{ config_id: 'x' }], next_cursor: 'same' }));
    await expect(client(wecom.fetch).paginate(LIST_WAY).toArray()).rejects.toThrow(/already returned/);
    expect(wecom.businessCalls()).toHaveLength(2);
  });

  it('throws the typed API error of a failed page', async () => {
    const wecom = fakeWecom(() => ({ errcode: 50100, errmsg: 'invalid cursor' }));
    await expect(
      client(wecom.fetch)
        .paginate(LIST_WAY, { body: { cursor: 'stale' } })
        .toArray(),
    ).rejects.toMatchObject({
      name: 'ScrmApiError',
      code: 50100,
    });
  });

  it('rejects paths that are not paginated', () => {
    const api = client(threePages().fetch);
    // @ts-expect-error get_contact_way is not a paginated operation
    expect(() => api.paginate('/cgi-bin/externalcontact/get_contact_way')).toThrow(/not a paginated operation/);
  });
});

describe('paginate() over every pagination style of the spec', () => {
  it('cursor in the query string: the followers of one customer (get)', async () => {
    const wecom = fakeWecom((call) =>
      call.query.cursor === 'page-2'
        ? ok({ external_contact: { external_userid: 'wo1' }, follow_user: [{ userid: 'lisi' }], next_cursor: '' })
        : ok({ external_contact: { external_userid: 'wo1' }, follow_user: [{ userid: 'zhangsan' }], next_cursor: 'page-2' }),
    );
    const followers = await client(wecom.fetch)
      .paginate('/cgi-bin/externalcontact/get', { params: { query: { external_userid: 'wo1' } } })
      .toArray();
    expect(followers.map((f) => f.userid)).toEqual(['zhangsan', 'lisi']);
    expect(wecom.businessCalls().map((c) => c.query.cursor)).toEqual([undefined, 'page-2']);
    expect(wecom.businessCalls().every((c) => c.query.external_userid === 'wo1' && c.method === 'GET')).toBe(true);
  });

  it('offset paging: group statistics by owner (groupchat/statistic)', async () => {
    const wecom = fakeWecom((call) => {
      const { offset = 0, limit = 2 } = call.body as { offset?: number; limit?: number };
      const owners = ['zhangsan', 'lisi', 'wangwu'].slice(offset, offset + limit);
      return ok({ total: 3, next_offset: offset + owners.length, items: owners.map((owner) => ({ owner, data: { new_chat_cnt: 1 } })) });
    });
    const rows = await client(wecom.fetch)
      .paginate(
        '/cgi-bin/externalcontact/groupchat/statistic',
        { body: { day_begin_time: 1700000000, owner_filter: { userid_list: ['zhangsan'] } } },
        { pageSize: 2 },
      )
      .toArray();
    expect(rows.map((r) => r.owner)).toEqual(['zhangsan', 'lisi', 'wangwu']);
    expect(wecom.businessCalls().map((c) => (c.body as { offset?: number }).offset)).toEqual([undefined, 2]);
  });

  it('every paginated operation of the WeCom profile walks two pages', async () => {
    const paged = Object.entries(wecomProfile.operations as Readonly<Record<string, OperationMeta>>).filter(([, m]) => m.pagination);
    expect(paged.length).toBeGreaterThanOrEqual(26);
    for (const [key, meta] of paged) {
      const p = meta.pagination!;
      if (p.style === 'page') throw new Error(`${meta.id}: WeCom has no page-number paging`);
      const path = key.slice(key.indexOf(' ') + 1);
      const wecom = fakeWecom((call) => {
        const carrier =
          (p.style === 'cursor' ? p.cursor.in : p.offset.in) === 'query' ? call.query : (call.body as Record<string, unknown>);
        const second = p.style === 'cursor' ? carrier?.[p.cursor.param] === 'c2' : Number(carrier?.[p.offset.param] ?? 0) > 0;
        const page: Record<string, unknown> = { errcode: 0 };
        setPath(page, p.items, [{ n: second ? 2 : 1 }]);
        if (p.style === 'cursor') setPath(page, p.cursor.next, second ? '' : 'c2');
        else {
          if (p.offset.next) setPath(page, p.offset.next, second ? 2 : 1);
          if (p.total) setPath(page, p.total, 2);
        }
        return page;
      });
      // an operation carrying another token kind (a suite's) takes it from the caller of a self-built client
      const name = meta.token === undefined ? undefined : (wecomProfile as VendorProfile).tokens?.[meta.token]?.inject?.name;
      const init = name === undefined ? undefined : { params: { query: { [name]: 'SUITE-TOKEN-of-the-caller' } } };
      const items = await client(wecom.fetch)
        .paginate(path as never, init as never)
        .toArray();
      expect(items, meta.id).toEqual([{ n: 1 }, { n: 2 }]);
    }
  });
});

function setPath(target: Record<string, unknown>, dotted: string, value: unknown) {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}
