/**
 * Paging as each operation's compiled `x-scrm-pagination` declares it, for the state handlers' lists and for the
 * items of a spec example alike: which request field (query or body) carries the cursor, offset or page number and the
 * page size (capped at the declared maximum), and where the page, the next cursor or offset and the total go in the
 * answer. The last page ends a walk the way the declaration says a vendor ends it: an empty next cursor, a next
 * offset that reaches the total, a short page or the total reached. Nothing here is written per operation.
 */
import type { PaginationSpec } from '@scrm-openapi/core';
import type { OperationRuntime } from './spec.js';

type Json = Record<string, any>;

export function getPath(source: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Json)[k] : undefined), source);
}

export function setPath(target: Json, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) node = (node[k] && typeof node[k] === 'object' ? node[k] : (node[k] = {})) as Json;
  node[keys.at(-1)!] = value;
}

const where = (p: PaginationSpec) => (p.style === 'cursor' ? p.cursor.in : p.style === 'offset' ? p.offset.in : p.page.in);

/** A request value as a whole number ≥ 0, or undefined (absent, blank, not a number). */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value !== 'number' && (typeof value !== 'string' || value.trim() === '')) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * One page of `items` for a request to a paged operation. `defaultSize` is the page size when the request asks for
 * none. `fields(pageItems)` are the answer's paging fields, for the page's items (mapped as the caller likes).
 */
export function pageFor<T>(
  op: OperationRuntime,
  query: Json,
  body: Json,
  items: readonly T[],
  defaultSize: number,
): { page: T[]; fields(pageItems: unknown[]): Json } {
  const p = op.pagination;
  if (!p) throw new Error(`${op.vendor}.${op.id} is not a paged operation`);
  const request = where(p) === 'body' ? body : query;
  const asked = p.limit ? wholeNumber(request[p.limit.param] ?? query[p.limit.param] ?? body[p.limit.param]) : undefined;
  const size = Math.max(1, Math.min(p.limit?.max ?? Number.MAX_SAFE_INTEGER, asked !== undefined && asked >= 1 ? asked : defaultSize));
  let start: number;
  if (p.style === 'page') start = (Math.max(p.page.start, wholeNumber(request[p.page.param]) ?? p.page.start) - p.page.start) * size;
  else if (p.style === 'offset') start = wholeNumber(request[p.offset.param]) ?? 0;
  else start = decodeCursor(request[p.cursor.param]);
  const end = Math.min(items.length, start + size);
  return {
    page: items.slice(start, end),
    fields: (pageItems) => {
      const answer: Json = {};
      setPath(answer, p.items, pageItems);
      if (p.style === 'cursor') setPath(answer, p.cursor.next, end < items.length ? encodeCursor(end) : '');
      if (p.style === 'offset' && p.offset.next) setPath(answer, p.offset.next, Math.max(end, start));
      if (p.style !== 'cursor' && p.total) setPath(answer, p.total, items.length);
      return answer;
    },
  };
}

/**
 * The sandbox's cursors: the position of the next item, as a plain number string. A cursor the sandbox did not
 * issue (an example's opaque cursor, garbage) starts from the beginning, as a vendor's expired cursor would.
 */
export const encodeCursor = (position: number) => String(position);
function decodeCursor(value: unknown): number {
  return wholeNumber(value) ?? 0;
}

/**
 * A paged operation without a state handler pages through the items of its spec's example. The page size is the
 * one asked for (capped at the declared maximum); a request that asks for none gets the whole example at once when
 * the operation has a page-size parameter (the vendors' default sizes are larger than any example), and one item a
 * page when it has none (the vendor's page size is fixed and unknown, so the sandbox takes the smallest, so that a
 * walk crosses pages). An example without a
 * list at the declared path is an empty list (the answer still ends the walk).
 */
export function pageOfExample(op: OperationRuntime, query: Json, body: Json): Json | undefined {
  const example = op.example();
  if (!example || typeof example !== 'object') return undefined;
  // an example without its item list is an empty list: its answer still ends the walk
  const found = getPath(example, op.pagination!.items);
  const items = Array.isArray(found) ? found : [];
  const { page, fields } = pageFor(op, query, body, items, op.pagination!.limit ? Math.max(1, items.length) : 1);
  return mergeDeep(example as Json, fields(page));
}

function mergeDeep(target: Json, source: Json): Json {
  for (const [k, v] of Object.entries(source)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && target[k] && typeof target[k] === 'object' && !Array.isArray(target[k]))
      mergeDeep(target[k], v);
    else target[k] = v;
  }
  return target;
}
