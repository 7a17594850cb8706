// Paging at its edges: a total that is an exact multiple of the page size (no request beyond the last needed one, no
// item lost or repeated), and cursors that come back after other cursors (A→B→A), not only straight away (A→A).
import { describe, expect, it } from 'vitest';
import { ScrmPaginationError } from './errors.js';
import { Paginator } from './paginate.js';
import type { PaginationSpec } from './profile.js';

type Init = Record<string, any>;

function walk(
  pagination: PaginationSpec,
  answer: (init: Init) => unknown,
  init?: Init,
  options: { pageSize?: number; maxPages?: number } = {},
) {
  const sent: Init[] = [];
  const p = new Paginator<number, unknown>(
    { id: 'listThings', idempotent: true, pagination },
    'test',
    '/things',
    init,
    options,
    async (i) => {
      sent.push(i);
      return answer(i);
    },
  );
  return { p, sent };
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

describe('a total that is an exact multiple of the page size', () => {
  // A vendor holding `total` items, served `size` at a time, that reports the total on every page.
  const pageVendor =
    (total: number, start: number, reportTotal = true) =>
    (i: Init) => {
      const q = i.params.query;
      const size = Number(q.pageSize ?? 10);
      const index = Number(q.current ?? start) - start;
      const data = range(index * size, Math.min(total, (index + 1) * size));
      return reportTotal ? { total, data } : { data };
    };
  const pageSpec = (start: number, total = true): PaginationSpec => ({
    style: 'page',
    page: { in: 'query', param: 'current', start },
    ...(total ? { total: 'total' } : {}),
    limit: { param: 'pageSize', max: 1000 },
    items: 'data',
  });

  it.each([
    // total, page size, first page number, requests expected
    [6, 3, 1, 2],
    [6, 3, 0, 2],
    [3, 3, 1, 1],
    [1000, 100, 1, 10],
    [6, 6, 1, 1],
    [6, 2, 1, 3],
  ])('page numbers: %i items, %i a page (first page %i) take exactly %i requests', async (total, size, start, requests) => {
    const { p, sent } = walk(pageSpec(start), pageVendor(total, start), undefined, { pageSize: size });
    expect(await p.toArray()).toEqual(range(0, total));
    expect(sent).toHaveLength(requests);
    expect(sent.map((s) => s.params.query.current)).toEqual([undefined, ...range(start + 1, start + requests)]);
  });

  it('page numbers with total 0: one request, no items', async () => {
    const { p, sent } = walk(pageSpec(1), pageVendor(0, 1), undefined, { pageSize: 3 });
    expect(await p.toArray()).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('page numbers without a total: a full last page needs one more (empty) request, and no more', async () => {
    const { p, sent } = walk(pageSpec(1, false), pageVendor(6, 1, false), undefined, { pageSize: 3 });
    expect(await p.toArray()).toEqual(range(0, 6));
    expect(sent).toHaveLength(3);
  });

  it('page numbers: the page size the caller put in the query counts like the option', async () => {
    const { p, sent } = walk(pageSpec(1), pageVendor(6, 1), { params: { query: { pageSize: 3, keyword: 'x' } } });
    expect(await p.toArray()).toEqual(range(0, 6));
    expect(sent).toHaveLength(2);
    expect(sent[1]?.params.query).toEqual({ pageSize: 3, keyword: 'x', current: 2 });
  });

  it.each([
    // total, page size, first page number, the caller's page, requests expected
    [6, 3, 1, 2, 1],
    [9, 3, 1, 2, 2],
    [6, 3, 0, 1, 1],
  ])(
    "page numbers resumed from the caller's page: %i items, %i a page (first %i), from page %i take exactly %i requests",
    async (total, size, start, from, requests) => {
      const { p, sent } = walk(pageSpec(start), pageVendor(total, start), { params: { query: { current: from } } }, { pageSize: size });
      expect(await p.toArray()).toEqual(range((from - start) * size, total));
      expect(sent).toHaveLength(requests);
    },
  );

  // A vendor serving offsets, with or without `next_offset` in its answer.
  const offsetVendor = (total: number, reportNext: boolean) => (i: Init) => {
    const offset = Number(i.body.offset ?? 0);
    const items = range(offset, Math.min(total, offset + Number(i.body.limit)));
    return reportNext ? { total, next_offset: offset + items.length, items } : { total, items };
  };
  const offsetSpec = (next: boolean): PaginationSpec => ({
    style: 'offset',
    offset: { in: 'body', param: 'offset', ...(next ? { next: 'next_offset' } : {}) },
    total: 'total',
    limit: { param: 'limit', max: 1000 },
    items: 'items',
  });

  it.each([
    [true, 6, 3, 2],
    [false, 6, 3, 2],
    [true, 3, 3, 1],
    [false, 1000, 250, 4],
  ])('offsets (next_offset reported: %s): %i items, %i a page take exactly %i requests', async (next, total, size, requests) => {
    const { p, sent } = walk(offsetSpec(next), offsetVendor(total, next), { body: { day: 1 } }, { pageSize: size });
    expect(await p.toArray()).toEqual(range(0, total));
    expect(sent).toHaveLength(requests);
    expect(sent.map((s) => s.body.offset)).toEqual([undefined, ...range(1, requests).map((k) => k * size)]);
  });

  it("offsets resumed from the caller's own offset stop at the total as well", async () => {
    const { p, sent } = walk(offsetSpec(true), offsetVendor(9, true), { body: { offset: 3 } }, { pageSize: 3 });
    expect(await p.toArray()).toEqual(range(3, 9));
    expect(sent.map((s) => s.body.offset)).toEqual([3, 6]);
  });
});

describe('cursors that come back', () => {
  const spec: PaginationSpec = { style: 'cursor', cursor: { in: 'body', param: 'cursor', next: 'next' }, items: 'list' };
  /** A vendor whose pages are keyed by the cursor sent ('' for the first), each naming the next cursor. */
  const chain = (pages: Record<string, { list: number[]; next?: string }>) => (i: Init) => {
    const page = pages[String(i.body?.cursor ?? '')];
    if (!page) throw new Error(`no page for cursor ${String(i.body?.cursor)}`);
    return page;
  };

  async function collect(p: Paginator<number, unknown>) {
    const items: number[] = [];
    try {
      for await (const item of p) items.push(item);
      return { items, error: undefined };
    } catch (error) {
      return { items, error };
    }
  }

  it('A→B→A is detected: ScrmPaginationError, no page fetched twice, no item handed out twice', async () => {
    const { p, sent } = walk(spec, chain({ '': { list: [1], next: 'A' }, A: { list: [2], next: 'B' }, B: { list: [3], next: 'A' } }));
    const { items, error } = await collect(p);
    expect(error).toBeInstanceOf(ScrmPaginationError);
    expect((error as Error).message).toMatch(/already returned/);
    expect(items).toEqual([1, 2, 3]);
    expect(sent.map((s) => s.body?.cursor)).toEqual([undefined, 'A', 'B']);
  });

  it('A→A is detected as well', async () => {
    const { p, sent } = walk(spec, chain({ '': { list: [1], next: 'A' }, A: { list: [2], next: 'A' } }));
    const { items, error } = await collect(p);
    expect(error).toBeInstanceOf(ScrmPaginationError);
    expect(items).toEqual([1, 2]);
    expect(sent).toHaveLength(2);
  });

  it('a longer cycle (A→B→C→D→B) is detected at its first repeat', async () => {
    const { p, sent } = walk(
      spec,
      chain({
        '': { list: [0], next: 'A' },
        A: { list: [1], next: 'B' },
        B: { list: [2], next: 'C' },
        C: { list: [3], next: 'D' },
        D: { list: [4], next: 'B' },
      }),
    );
    const { items, error } = await collect(p);
    expect(error).toBeInstanceOf(ScrmPaginationError);
    expect(items).toEqual([0, 1, 2, 3, 4]);
    expect(sent).toHaveLength(5);
  });

  it("a walk resumed from the caller's cursor X detects X coming back (X→Y→X) before fetching X again", async () => {
    const { p, sent } = walk(spec, chain({ X: { list: [1], next: 'Y' }, Y: { list: [2], next: 'X' } }), { body: { cursor: 'X' } });
    const { items, error } = await collect(p);
    expect(error).toBeInstanceOf(ScrmPaginationError);
    expect(items).toEqual([1, 2]);
    expect(sent.map((s) => s.body.cursor)).toEqual(['X', 'Y']);
  });

  it('a cursor equal to an earlier one only as a number and a string is still the same cursor', async () => {
    const numeric = (i: Init) => {
      const at = i.body?.cursor;
      return at === undefined ? { list: [1], next: 10 } : at === '10' ? { list: [2], next: 20 } : { list: [3], next: '10' };
    };
    const { p } = walk(spec, numeric);
    const { items, error } = await collect(p);
    expect(error).toBeInstanceOf(ScrmPaginationError);
    expect(items).toEqual([1, 2, 3]);
  });
});
