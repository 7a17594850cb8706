/**
 * `paginate()` — walks a paginated operation described by its `x-scrm-pagination`, so callers never write
 * cursor loops. Guards: a repeated cursor stops with an error (instead of looping forever), and `toArray()` has
 * a cap so that collecting everything cannot exhaust memory silently.
 */
import { ScrmPaginationError } from './errors.js';
import type { OperationMeta } from './profile.js';

export interface PaginateOptions {
  /** Stop with a `ScrmPaginationError` after this many pages. Default 10,000. */
  maxPages?: number;
  /** Page size to request (capped at the operation's documented maximum). */
  pageSize?: number;
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
    const where = spec.cursor.in === 'body' ? 'body' : 'query';
    const base = { ...(this.#init ?? {}) };
    const baseParams = (base.params ?? {}) as Record<string, unknown>;
    const carrier = (): Record<string, unknown> =>
      where === 'body' ? { ...((base.body as Record<string, unknown>) ?? {}) } : { ...((baseParams.query as Record<string, unknown>) ?? {}) };

    const first = carrier();
    if (spec.limit && this.#options.pageSize !== undefined) {
      first[spec.limit.param] = spec.limit.max ? Math.min(this.#options.pageSize, spec.limit.max) : this.#options.pageSize;
    }
    let cursor = first[spec.cursor.param] as string | undefined;
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      if (page > maxPages) throw this.#error(`${this.#path}: more than ${maxPages} pages; raise maxPages to go further`);
      const values = { ...first };
      if (cursor) values[spec.cursor.param] = cursor;
      else delete values[spec.cursor.param];
      const init =
        where === 'body' ? { ...base, body: values } : { ...base, params: { ...baseParams, query: values } };
      const data = await this.#fetchPage(init);
      yield data as Page;
      const next = readPath(data, spec.cursor.next);
      if (next === undefined || next === null || next === '') return;
      const nextCursor = String(next);
      if (seen.has(nextCursor) || nextCursor === cursor) {
        throw this.#error(`${this.#path}: the vendor returned a cursor it had already returned; stopping to avoid a loop`);
      }
      seen.add(nextCursor);
      cursor = nextCursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    const itemsPath = this.#meta.pagination?.items ?? '';
    for await (const page of this.pages()) {
      const items = readPath(page, itemsPath);
      if (Array.isArray(items)) yield* items as Item[];
    }
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
