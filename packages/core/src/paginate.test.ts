import { describe, expect, it } from 'vitest';
import { ScrmPaginationError } from './errors.js';
import { Paginator } from './paginate.js';
import type { OperationMeta, PaginationSpec } from './profile.js';

function paginator(
  pagination: PaginationSpec,
  pages: (init: Record<string, any>) => unknown,
  init?: Record<string, unknown>,
  options = {},
) {
  const sent: Record<string, any>[] = [];
  const meta: OperationMeta = { id: 'listThings', idempotent: true, pagination };
  const p = new Paginator<unknown, unknown>(meta, 'test', '/things', init, options, async (i) => {
    sent.push(i);
    return pages(i);
  });
  return { p, sent };
}

const items = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

describe('Paginator', () => {
  it('cursor in the query string', async () => {
    const { p, sent } = paginator(
      { style: 'cursor', cursor: { in: 'query', param: 'cursor', next: 'next_cursor' }, items: 'follow_user' },
      (i) => (i.params.query.cursor ? { follow_user: [3], next_cursor: '' } : { follow_user: [1, 2], next_cursor: 'c2' }),
      { params: { query: { external_userid: 'wo1' } } },
    );
    expect(await p.toArray()).toEqual([1, 2, 3]);
    expect(sent.map((s) => s.params.query)).toEqual([{ external_userid: 'wo1' }, { external_userid: 'wo1', cursor: 'c2' }]);
  });

  it('cursor absent (not empty) when done', async () => {
    const { p } = paginator({ style: 'cursor', cursor: { in: 'body', param: 'cursor', next: 'next_cursor' }, items: 'strategy' }, (i) =>
      i.body.cursor ? { strategy: [2] } : { strategy: [1], next_cursor: 'x' },
    );
    expect(await p.toArray()).toEqual([1, 2]);
  });

  it('offset paging stops when next_offset reaches total', async () => {
    const { p, sent } = paginator(
      {
        style: 'offset',
        offset: { in: 'body', param: 'offset', next: 'next_offset' },
        total: 'total',
        limit: { param: 'limit', max: 1000 },
        items: 'items',
      },
      (i) => {
        const offset = i.body.offset ?? 0;
        const page = items(Math.min(2, 5 - offset), offset);
        return { total: 5, next_offset: offset + page.length, items: page };
      },
      { body: { day_begin_time: 1 } },
      { pageSize: 2 },
    );
    expect(await p.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(sent.map((s) => s.body.offset)).toEqual([undefined, 2, 4]);
    expect(sent[0]?.body).toEqual({ day_begin_time: 1, limit: 2 });
  });

  it('offset paging refuses an offset that does not advance', async () => {
    const { p } = paginator(
      { style: 'offset', offset: { in: 'body', param: 'offset', next: 'next_offset' }, total: 'total', items: 'items' },
      () => ({ total: 10, next_offset: 0, items: [1] }),
    );
    await expect(p.toArray()).rejects.toBeInstanceOf(ScrmPaginationError);
  });

  it('page-number paging (current/pageSize/total)', async () => {
    const { p, sent } = paginator(
      {
        style: 'page',
        page: { in: 'query', param: 'current', start: 1 },
        total: 'total',
        limit: { param: 'pageSize', max: 1000 },
        items: 'data',
      },
      (i) => {
        const current = i.params.query.current ?? 1;
        return { total: 5, data: items(current < 3 ? 2 : 1, (current - 1) * 2) };
      },
      undefined,
      { pageSize: 2 },
    );
    expect(await p.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(sent.map((s) => s.params.query.current)).toEqual([undefined, 2, 3]);
  });

  it('page-number paging stops on an empty page even without total', async () => {
    const { p } = paginator({ style: 'page', page: { in: 'body', param: 'page', start: 0 }, items: 'list' }, (i) => ({
      list: (i.body.page ?? 0) < 2 ? [i.body.page ?? 0] : [],
    }));
    expect(await p.toArray()).toEqual([0, 1]);
  });

  it('bounds every walk with maxPages', async () => {
    let n = 0;
    const { p } = paginator(
      { style: 'cursor', cursor: { in: 'body', param: 'cursor', next: 'next' }, items: 'list' },
      () => ({ list: [n], next: `c${++n}` }),
      undefined,
      { maxPages: 5 },
    );
    await expect(p.toArray()).rejects.toThrow(/more than 5 pages/);
  });
});

describe('Paginator item iterator', () => {
  const cursorSpec: PaginationSpec = { style: 'cursor', cursor: { in: 'body', param: 'cursor', next: 'next' }, items: 'list' };
  const threePages = (i: Record<string, any>) => {
    const at = Number(i.body?.cursor ?? 0);
    return { list: items(2, at), next: at < 4 ? String(at + 2) : '' };
  };

  it('hands out every item exactly once when next() is called again before the last call settled', async () => {
    const { p } = paginator(cursorSpec, threePages);
    const it = p[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 8 }, () => it.next()));
    expect(results.map((r) => (r.done ? 'done' : r.value))).toEqual([0, 1, 2, 3, 4, 5, 'done', 'done']);
  });

  it('skips empty pages and stops fetching when the loop breaks early', async () => {
    const { p, sent } = paginator(
      cursorSpec,
      (i) => {
        const at = Number(i.body?.cursor ?? 0);
        return at === 0 ? { list: [], next: '1' } : { list: [at], next: String(at + 1) };
      },
      undefined,
      { maxPages: 50 },
    );
    const seen: unknown[] = [];
    for await (const item of p) {
      seen.push(item);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(sent).toHaveLength(4);
  });

  it('passes a failed page to the caller, then reports the walk as finished', async () => {
    const { p } = paginator(cursorSpec, (i) => {
      if (i.body?.cursor) throw new Error('page 2 failed');
      return { list: [1], next: 'c2' };
    });
    const it = p[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: 1 });
    await expect(it.next()).rejects.toThrow('page 2 failed');
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});

describe('Paginator with hostile paging fields', () => {
  it('stops with ScrmPaginationError on a cursor that is an object, even one that cannot become a string', async () => {
    const { p } = paginator({ style: 'cursor', cursor: { in: 'body', param: 'cursor', next: 'next' }, items: 'list' }, () => ({
      list: [1],
      next: JSON.parse('{"toString":null}'),
    }));
    await expect(p.toArray()).rejects.toBeInstanceOf(ScrmPaginationError);
  });

  it('treats an object total or offset as unknown instead of throwing a TypeError', async () => {
    const hostile = JSON.parse('{"toString":null,"valueOf":null}');
    const { p } = paginator(
      { style: 'offset', offset: { in: 'body', param: 'offset', next: 'next' }, total: 'total', items: 'list' },
      (i) => (Number(i.body?.offset ?? 0) < 2 ? { list: [1], next: hostile, total: hostile } : { list: [], total: hostile }),
    );
    expect(await p.toArray()).toEqual([1, 1]);
  });
});
