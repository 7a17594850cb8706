/**
 * `paginate()` — walks a paginated operation described by its `x-scrm-pagination` (cursor, offset or page-number
 * style), so callers never write paging loops. Guards: a repeated cursor stops with an error instead of looping
 * forever, `maxPages` bounds every walk, and `toArray()` has a cap so that collecting cannot exhaust memory silently.
 */
import { ScrmPaginationError } from './errors.js';
import type { OperationMeta, PaginationSpec } from './profile.js';

export interface PaginateOptions {
  /** Stop with a `ScrmPaginationError` after this many pages. Default 10,000. */
  maxPages?: number;
  /** Page size to request (capped at the operation's documented maximum). */
  pageSize?: number;
}

/** A number read from a vendor's answer: what `Number()` gives for a primitive, NaN (unknown) for an object (which
 * `Number()` may even throw on, e.g. `{"toString": null}`), for null and for a blank string — which `Number()` reads
 * as 0, so that a `total: null` ended the walk after its first page. */
function numberOf(value: unknown): number {
  if (value === null || typeof value === 'object' || (typeof value === 'string' && value.trim() === '')) return Number.NaN;
  return Number(value);
}

/** Reads a dotted path (`data.list`) from a response body. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

type InitLike = Record<string, unknown> | undefined;

/** What to do after a page: stop, or send the next request with these values. */
type Step = { done: true } | { done: false; set: Record<string, unknown> };

export class Paginator<Item, Page> implements AsyncIterable<Item> {
  readonly #meta: OperationMeta;
  readonly #vendor: string;
  readonly #path: string;
  readonly #init: InitLike;
  readonly #options: PaginateOptions;
  readonly #fetchPage: (init: Record<string, unknown>) => Promise<unknown>;

  constructor(
    meta: OperationMeta,
    vendor: string,
    path: string,
    init: InitLike,
    options: PaginateOptions | undefined,
    fetchPage: (init: Record<string, unknown>) => Promise<unknown>,
  ) {
    this.#meta = meta;
    this.#vendor = vendor;
    this.#path = path;
    this.#init = init;
    this.#options = options ?? {};
    this.#fetchPage = fetchPage;
  }

  /** Every page's body, in order. */
  async *pages(): AsyncGenerator<Page, void, undefined> {
    const spec = this.#meta.pagination;
    if (!spec) throw this.#error(`${this.#path} is not paginated`);
    const maxPages = this.#options.maxPages ?? 10_000;
    const where = locationOf(spec);
    const base = { ...(this.#init ?? {}) };
    const baseParams = (base.params ?? {}) as Record<string, unknown>;
    const values: Record<string, unknown> =
      where === 'body'
        ? { ...((base.body as Record<string, unknown>) ?? {}) }
        : { ...((baseParams.query as Record<string, unknown>) ?? {}) };
    if (spec.limit && this.#options.pageSize !== undefined) {
      values[spec.limit.param] = spec.limit.max ? Math.min(this.#options.pageSize, spec.limit.max) : this.#options.pageSize;
    }
    const state = { seen: new Set<string>(), received: 0 };
    // a walk resumed from the caller's cursor: that cursor coming back is a loop too (X→Y→X would fetch X twice)
    if (spec.style === 'cursor') {
      const start = values[spec.cursor.param];
      if ((typeof start === 'string' && start !== '') || typeof start === 'number') state.seen.add(String(start));
    }
    for (let page = 1; ; page++) {
      if (page > maxPages) throw this.#error(`${this.#path}: more than ${maxPages} pages; raise maxPages to go further`);
      const init = where === 'body' ? { ...base, body: { ...values } } : { ...base, params: { ...baseParams, query: { ...values } } };
      const data = await this.#fetchPage(init);
      yield data as Page;
      const items = readPath(data, spec.items);
      const count = Array.isArray(items) ? items.length : 0;
      state.received += count;
      const step = this.#next(spec, data, values, count, state);
      if (step.done) return;
      Object.assign(values, step.set);
      for (const [k, v] of Object.entries(step.set)) if (v === undefined) delete values[k];
    }
  }

  #next(
    spec: PaginationSpec,
    data: unknown,
    sent: Record<string, unknown>,
    count: number,
    state: { seen: Set<string>; received: number },
  ): Step {
    switch (spec.style) {
      case 'cursor': {
        const next = readPath(data, spec.cursor.next);
        if (next === undefined || next === null || next === '') return { done: true };
        if (typeof next === 'object' || typeof next === 'function') {
          throw this.#error(`${this.#path}: the vendor returned a cursor that is not a string or a number`);
        }
        const cursor = String(next);
        if (state.seen.has(cursor) || cursor === sent[spec.cursor.param]) {
          throw this.#error(`${this.#path}: the vendor returned a cursor it had already returned; stopping to avoid a loop`);
        }
        state.seen.add(cursor);
        return { done: false, set: { [spec.cursor.param]: cursor } };
      }
      case 'offset': {
        const total = spec.total ? numberOf(readPath(data, spec.total)) : Number.NaN;
        const current = numberOf(sent[spec.offset.param] ?? 0);
        const reported = spec.offset.next ? numberOf(readPath(data, spec.offset.next)) : Number.NaN;
        const next = Number.isFinite(reported) ? reported : current + count;
        if (count === 0 || (Number.isFinite(total) && next >= total)) return { done: true };
        if (next <= current) throw this.#error(`${this.#path}: the next offset does not advance; stopping to avoid a loop`);
        return { done: false, set: { [spec.offset.param]: next } };
      }
      case 'page': {
        const total = spec.total ? numberOf(readPath(data, spec.total)) : Number.NaN;
        const size = spec.limit ? numberOf(sent[spec.limit.param]) : Number.NaN;
        const current = numberOf(sent[spec.page.param] ?? spec.page.start);
        const full = Number.isFinite(size) && size > 0 && count >= size;
        // how far into the list this page reaches: a walk resumed from the caller's page number has received less than
        // that, so a full page counts by its number (every page before it was full too, or the walk would have ended)
        const reached =
          full && Number.isFinite(current) ? Math.max(state.received, (current - spec.page.start + 1) * size) : state.received;
        const done = count === 0 || (Number.isFinite(total) && reached >= total) || (Number.isFinite(size) && size > 0 && count < size);
        if (done) return { done: true };
        return { done: false, set: { [spec.page.param]: current + 1 } };
      }
    }
  }

  /**
   * Every item of every page, in order. A hand-written iterator rather than an async generator: items already on
   * hand are returned without the generator's per-item queueing, which is most of the cost of a long walk. Calls
   * to `next()` made before the previous one settled are queued, so no item is skipped or repeated.
   */
  [Symbol.asyncIterator](): AsyncIterator<Item, void, undefined> {
    const itemsPath = this.#meta.pagination?.items ?? '';
    const pages = this.pages();
    let buffer: readonly Item[] = [];
    let index = 0;
    let queued = 0;
    let queue: Promise<unknown> = Promise.resolve();
    const step = async (): Promise<IteratorResult<Item, void>> => {
      while (index >= buffer.length) {
        const page = await pages.next();
        if (page.done) return { done: true, value: undefined };
        const items = readPath(page.value, itemsPath);
        buffer = Array.isArray(items) ? (items as Item[]) : [];
        index = 0;
      }
      return { done: false, value: buffer[index++] as Item };
    };
    const settle = () => {
      queued--;
    };
    return {
      next: () => {
        if (queued === 0 && index < buffer.length) return Promise.resolve({ done: false, value: buffer[index++] as Item });
        queued++;
        const result = queue.then(step);
        queue = result.then(settle, settle);
        return result;
      },
      return: async () => {
        buffer = [];
        index = 0;
        await pages.return(undefined);
        return { done: true, value: undefined };
      },
    };
  }

  /** Collects every item; throws `ScrmPaginationError` rather than holding more than `maxItems` (default 100,000). */
  async toArray(options: { maxItems?: number } = {}): Promise<Item[]> {
    const maxItems = options.maxItems ?? 100_000;
    const out: Item[] = [];
    for await (const item of this) {
      if (out.length >= maxItems) {
        throw this.#error(`${this.#path}: more than ${maxItems} items; iterate with for await, or raise maxItems`);
      }
      out.push(item);
    }
    return out;
  }

  #error(message: string): ScrmPaginationError {
    return new ScrmPaginationError(message, { vendor: this.#vendor, operation: this.#meta.id, path: this.#path });
  }
}

function locationOf(spec: PaginationSpec): 'body' | 'query' {
  switch (spec.style) {
    case 'cursor':
      return spec.cursor.in;
    case 'offset':
      return spec.offset.in;
    case 'page':
      return spec.page.in;
  }
}
