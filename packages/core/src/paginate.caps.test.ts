// The safety caps of paging as a user meets them: `maxPages` and `toArray()`'s `maxItems` (exactly at the cap, one
// beyond, the defaults), the ScrmPaginationError they and the loop guards throw (message, vendor, operation, path),
// and how the request for each page is built (page size, values the vendor drops, where the paging field goes).
import { describe, expect, it } from 'vitest';
import { ScrmPaginationError } from './errors.js';
import { Paginator, readPath } from './paginate.js';
import type { OperationMeta, PaginationSpec } from './profile.js';

type Init = Record<string, any>;

function walk(
  pagination: PaginationSpec | undefined,
  answer: (init: Init, n: number) => unknown,
  init?: Init,
  options?: { maxPages?: number; pageSize?: number },
) {
  const sent: Init[] = [];
  const meta: OperationMeta = pagination ? { id: 'listThings', idempotent: true, pagination } : { id: 'getThing', idempotent: true };
  const p = new Paginator<unknown, unknown>(meta, 'weiling', '/things', init, options, async (i) => {
    sent.push(structuredClone(i));
    return answer(i, sent.length);
  });
  return { p, sent };
}

/** A cursor vendor with `pages` pages of `perPage` items each (cursor `c<n>` asks for page n+1). */
const cursorSpec: PaginationSpec = { style: 'cursor', cursor: { in: 'body', param: 'cursor', next: 'data.next' }, items: 'data.list' };
const cursorVendor =
  (pages: number, perPage = 1) =>
  (_i: Init, n: number) => ({
    data: { list: Array.from({ length: perPage }, (_, k) => (n - 1) * perPage + k), next: n < pages ? `c${n}` : '' },
  });

async function caught(p: Promise<unknown>): Promise<ScrmPaginationError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScrmPaginationError);
  return error as ScrmPaginationError;
}

describe('maxPages', () => {
  it('a walk of exactly maxPages pages completes', async () => {
    const { p, sent } = walk(cursorSpec, cursorVendor(3), undefined, { maxPages: 3 });
    expect(await p.toArray()).toEqual([0, 1, 2]);
    expect(sent).toHaveLength(3);
  });

  it('one page more stops with ScrmPaginationError before requesting it, naming the cap and the call', async () => {
    const { p, sent } = walk(cursorSpec, cursorVendor(4), undefined, { maxPages: 3 });
    const seen: unknown[] = [];
    const error = await caught(
      (async () => {
        for await (const item of p) seen.push(item);
      })(),
    );
    expect(error.message).toBe('/things: more than 3 pages; raise maxPages to go further');
    expect(error.name).toBe('ScrmPaginationError');
    expect({ vendor: error.vendor, operation: error.operation, path: error.path }).toEqual({
      vendor: 'weiling',
      operation: 'listThings',
      path: '/things',
    });
    expect(error.retryable).toBe(false);
    expect(sent).toHaveLength(3);
    expect(seen).toEqual([0, 1, 2]); // the pages within the cap were handed out
  });

  it('defaults to 10,000 pages', async () => {
    const { p, sent } = walk(cursorSpec, (_i, n) => ({ data: { list: [], next: `c${n}` } }));
    const error = await caught(p.toArray());
    expect(error.message).toBe('/things: more than 10000 pages; raise maxPages to go further');
    expect(sent).toHaveLength(10_000);
  });
});

describe('toArray maxItems', () => {
  it('collects exactly maxItems items', async () => {
    const { p } = walk(cursorSpec, cursorVendor(2, 3));
    expect(await p.toArray({ maxItems: 6 })).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('one item more throws rather than returning a truncated list, naming the cap', async () => {
    const { p, sent } = walk(cursorSpec, cursorVendor(3, 3));
    const error = await caught(p.toArray({ maxItems: 5 }));
    expect(error.message).toBe('/things: more than 5 items; iterate with for await, or raise maxItems');
    expect(error.operation).toBe('listThings');
    expect(sent).toHaveLength(2); // stops at the page holding the first item beyond the cap
  });

  it('maxItems 0 accepts only an empty walk', async () => {
    expect(await walk(cursorSpec, () => ({ data: { list: [] } })).p.toArray({ maxItems: 0 })).toEqual([]);
    await caught(walk(cursorSpec, cursorVendor(1)).p.toArray({ maxItems: 0 }));
  });

  it('defaults to 100,000 items', async () => {
    const big = walk(cursorSpec, cursorVendor(11, 10_000));
    expect((await caught(big.p.toArray())).message).toBe('/things: more than 100000 items; iterate with for await, or raise maxItems');
    expect(await walk(cursorSpec, cursorVendor(10, 10_000)).p.toArray()).toHaveLength(100_000);
  });
});

describe('the loop guards’ errors', () => {
  it('an operation without paging: ScrmPaginationError saying so, before any request', async () => {
    const { p, sent } = walk(undefined, () => ({}));
    const error = await caught(p.toArray());
    expect(error.message).toBe('/things is not paginated');
    expect(error.operation).toBe('getThing');
    expect(sent).toHaveLength(0);
  });

  it.each([
    ['an object', { at: 1 }],
    ['an array', ['c1']],
    ['a function-like value', () => 'c1'],
  ])('a cursor that is %s stops with its own message', async (_what, next) => {
    const { p } = walk(cursorSpec, () => ({ data: { list: [1], next } }));
    expect((await caught(p.toArray())).message).toBe('/things: the vendor returned a cursor that is not a string or a number');
  });

  it('a null cursor ends the walk', async () => {
    const { p, sent } = walk(cursorSpec, () => ({ data: { list: [1], next: null } }));
    expect(await p.toArray()).toEqual([1]);
    expect(sent).toHaveLength(1);
  });

  it('a numeric cursor is sent on as a string', async () => {
    const { p, sent } = walk(cursorSpec, (_i, n) => ({ data: { list: [n], next: n < 2 ? 42 : '' } }));
    expect(await p.toArray()).toEqual([1, 2]);
    expect(sent[1]?.body).toEqual({ cursor: '42' });
  });

  it('the cursor just sent coming back: the repeat message', async () => {
    const { p } = walk(cursorSpec, () => ({ data: { list: [1], next: 'same' } }), { body: { cursor: 'same' } });
    expect((await caught(p.toArray())).message).toBe(
      '/things: the vendor returned a cursor it had already returned; stopping to avoid a loop',
    );
  });

  it('an offset that does not advance: its own message', async () => {
    const spec: PaginationSpec = { style: 'offset', offset: { in: 'query', param: 'offset', next: 'next_offset' }, items: 'list' };
    const { p } = walk(spec, () => ({ list: [1], next_offset: 0 }));
    expect((await caught(p.toArray())).message).toBe('/things: the next offset does not advance; stopping to avoid a loop');
  });
});

describe('the request for each page', () => {
  const limited: PaginationSpec = {
    style: 'cursor',
    cursor: { in: 'query', param: 'cursor', next: 'next' },
    limit: { param: 'limit', max: 100 },
    items: 'list',
  };

  it('sends the page size asked for, capped at the documented maximum, and keeps the caller’s other query values', async () => {
    const small = walk(limited, () => ({ list: [] }), { params: { query: { status: 1 }, header: { h: 'x' } } }, { pageSize: 20 });
    await small.p.toArray();
    expect(small.sent[0]).toEqual({ params: { query: { status: 1, limit: 20 }, header: { h: 'x' } } });
    const big = walk(limited, () => ({ list: [] }), undefined, { pageSize: 500 });
    await big.p.toArray();
    expect(big.sent[0]?.params.query).toEqual({ limit: 100 });
  });

  it('sends no page size when none is asked for, and any page size when no maximum is documented', async () => {
    const none = walk(limited, () => ({ list: [] }));
    await none.p.toArray();
    expect(none.sent[0]).toEqual({ params: { query: {} } });
    const free = walk({ ...limited, limit: { param: 'size' } }, () => ({ list: [] }), undefined, { pageSize: 500 });
    await free.p.toArray();
    expect(free.sent[0]?.params.query).toEqual({ size: 500 });
    const unlimited = walk(
      { style: 'cursor', cursor: { in: 'query', param: 'cursor', next: 'next' }, items: 'list' },
      () => ({ list: [] }),
      undefined,
      { pageSize: 500 },
    );
    await unlimited.p.toArray();
    expect(unlimited.sent[0]?.params.query).toEqual({});
  });

  it('puts body paging fields in the body, next to the caller’s body values, leaving the caller’s init untouched', async () => {
    const init = { body: { status: 2 } };
    const { p, sent } = walk(cursorSpec, cursorVendor(2), init);
    await p.toArray();
    expect(sent.map((s) => s.body)).toEqual([{ status: 2 }, { status: 2, cursor: 'c1' }]);
    expect(init).toEqual({ body: { status: 2 } });
  });

  it('the page walk reads items from the configured path only, counting a missing list as empty', async () => {
    const { p } = walk(cursorSpec, (_i, n) => (n === 1 ? { data: { next: 'c1' } } : { data: { list: [7] } }));
    expect(await p.toArray()).toEqual([7]);
  });
});

describe('page numbers without a page size', () => {
  const pageSpec: PaginationSpec = { style: 'page', page: { in: 'query', param: 'current', start: 1 }, total: 'total', items: 'list' };

  it('stop once the items received reach the total', async () => {
    const { p, sent } = walk(pageSpec, (i) => ({ total: 4, list: (i.params.query.current ?? 1) === 1 ? [1, 2] : [3, 4] }));
    expect(await p.toArray()).toEqual([1, 2, 3, 4]);
    expect(sent.map((s) => s.params.query.current)).toEqual([undefined, 2]);
  });

  it('with a page size but no total, a short page is the last one: no further request', async () => {
    const spec: PaginationSpec = {
      style: 'page',
      page: { in: 'query', param: 'current', start: 1 },
      limit: { param: 'pageSize' },
      items: 'list',
    };
    const { p, sent } = walk(spec, (i) => ({ list: (i.params.query.current ?? 1) === 1 ? [1, 2] : [3] }), undefined, { pageSize: 2 });
    expect(await p.toArray()).toEqual([1, 2, 3]);
    expect(sent).toHaveLength(2);
  });
});

describe('a walk resumed from a numeric cursor', () => {
  it('detects that cursor coming back', async () => {
    const { p, sent } = walk(cursorSpec, (_i, n) => ({ data: { list: [n], next: n === 1 ? 'c1' : 5 } }), { body: { cursor: 5 } });
    expect((await caught(p.toArray())).message).toBe(
      '/things: the vendor returned a cursor it had already returned; stopping to avoid a loop',
    );
    expect(sent).toHaveLength(2);
  });
});

describe('the item iterator after return()', () => {
  it('reports itself finished, and hands out none of the items left on the current page', async () => {
    const { p, sent } = walk(cursorSpec, cursorVendor(2, 3));
    const it = p[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ done: false, value: 0 });
    expect(await it.return?.()).toEqual({ done: true, value: undefined });
    expect(await it.next()).toEqual({ done: true, value: undefined });
    expect(sent).toHaveLength(1);
  });
});

describe('readPath', () => {
  it('follows a dotted path through objects, and gives undefined past a primitive or null', () => {
    expect(readPath({ a: { b: { c: 3 } } }, 'a.b.c')).toBe(3);
    expect(readPath({ a: null }, 'a.b')).toBeUndefined();
    expect(readPath({ a: 'text' }, 'a.length')).toBeUndefined();
    expect(readPath({ a: 5 }, 'a.b')).toBeUndefined();
    expect(readPath(null, 'a')).toBeUndefined();
    expect(readPath({ a: [10, 20] }, 'a.1')).toBe(20);
  });
});

describe('a total or next offset sent as null or an empty string', () => {
  // Number(null) and Number('') are 0: read as a total of 0, the walk stopped after the first page and dropped the
  // rest without an error. They mean "not known", like an absent field.
  const offsetSpec: PaginationSpec = {
    style: 'offset',
    offset: { in: 'query', param: 'offset', next: 'next_offset' },
    total: 'total',
    items: 'list',
  };
  const pages = [[1, 2], [3], []];

  it.each([null, '', '  '])('total %o counts as unknown: offsets walk on to the empty page', async (unknown) => {
    const { p } = walk(offsetSpec, (_i, n) => ({ list: pages[n - 1], total: unknown, next_offset: unknown }));
    expect(await p.toArray()).toEqual([1, 2, 3]);
  });

  it.each([null, '', '  '])('total %o counts as unknown: page numbers walk on to the empty page', async (unknown) => {
    const spec: PaginationSpec = { style: 'page', page: { in: 'query', param: 'current', start: 1 }, total: 'total', items: 'list' };
    const { p } = walk(spec, (_i, n) => ({ list: pages[n - 1], total: unknown }));
    expect(await p.toArray()).toEqual([1, 2, 3]);
  });
});
