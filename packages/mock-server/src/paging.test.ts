// State handlers and example answers page as the compiled x-scrm-pagination says: where the cursor, page number and
// page size are read from, and where the page, the next cursor and the total are written.
import { describe, expect, it } from 'vitest';
import type { PaginationSpec } from '@scrm-openapi/core';
import { pageFor } from './paging.js';
import type { OperationRuntime } from './spec.js';

const op = (pagination: PaginationSpec) => ({ vendor: 'v', id: 'list', pagination }) as OperationRuntime;
const items = ['a', 'b', 'c', 'd', 'e'];

describe('pageFor', () => {
  it('cursor style: reads the cursor and the size where the profile says, writes the page and the next cursor at their paths', () => {
    const o = op({
      style: 'cursor',
      cursor: { in: 'query', param: 'pos', next: 'data.more' },
      limit: { param: 'n', max: 3 },
      items: 'data.list',
    });
    const first = pageFor(o, { n: '2' }, { pos: '4', n: 9 }, items, 10);
    expect(first.page).toEqual(['a', 'b']);
    expect(first.fields(first.page)).toEqual({ data: { list: ['a', 'b'], more: '2' } });
    // a size above the max is capped; the last page's next cursor is empty
    const last = pageFor(o, { pos: '3', n: '50' }, {}, items, 10);
    expect(last.fields(last.page)).toEqual({ data: { list: ['d', 'e'], more: '' } });
  });

  it('page style: the page number from its start, the default size when none is asked, the total', () => {
    const o = op({
      style: 'page',
      page: { in: 'body', param: 'current', start: 0 },
      total: 'total',
      limit: { param: 'size' },
      items: 'rows',
    });
    const second = pageFor(o, {}, { current: 1 }, items, 2);
    expect(second.fields(second.page)).toEqual({ rows: ['c', 'd'], total: 5 });
  });

  it('offset style: the offset and the next one', () => {
    const o = op({ style: 'offset', offset: { in: 'body', param: 'offset', next: 'next_offset' }, total: 'count', items: 'list' });
    const page = pageFor(o, {}, { offset: 4 }, items, 2);
    expect(page.fields(page.page)).toEqual({ list: ['e'], next_offset: 5, count: 5 });
  });
});
