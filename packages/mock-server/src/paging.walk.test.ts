// Every paged operation of every spec (those with x-scrm-pagination), walked from the first page to the end through
// the vendor's own client's paginate(): the sandbox pages its state where it keeps state and the example's items
// otherwise, as the declaration says (cursor, offset or page number; where the items, the next cursor and the total
// go), so the walk ends the way the vendor ends it. The list of operations comes from the specs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './server.js';
import { loadSpec, VENDORS, type VendorName } from './spec.js';
import { createRandom } from './random.js';
import { loadStateModule } from './vendors/index.js';
import { clientFor, providerRequestFor, exampleOf, operationsOf, resolve, type AnyClient, type Json } from './test-support.js';

let server: MockServer;
const clients = {} as Record<VendorName, AnyClient>;
const walked: Record<VendorName, string[]> = {};
const total: Record<VendorName, number> = {};
/** Walks that crossed more than one page. */
const crossed: Record<VendorName, number> = {};

beforeAll(async () => {
  server = await startMockServer();
  for (const vendor of VENDORS) clients[vendor] = await clientFor(server, vendor, { retry: false });
});
afterAll(async () => {
  console.log(
    `paged operations walked to the end: ${VENDORS.map((v) => `${v} ${walked[v]?.length ?? 0}/${total[v]} (${crossed[v] ?? 0} over several pages)`).join(', ')}`,
  );
  await server?.close();
});

/**
 * The example request of a paged operation, set to its first page: the cursor, offset or page number removed, or,
 * where the spec marks it required, given its first-page value (an empty cursor, offset 0, the first page number).
 */
async function firstPage(vendor: VendorName, spec: Json, op: Json): Promise<Json> {
  const init = await providerRequestFor(server, vendor, spec, op);
  const p = op['x-scrm-pagination'];
  const at = p.cursor ?? p.offset ?? p.page;
  const carrier: Json | undefined = at.in === 'body' ? init.body : init.params.query;
  const required =
    at.in === 'body'
      ? resolve(spec, resolve(spec, op.requestBody)?.content?.['application/json']?.schema)?.required?.includes(at.param)
      : (op.parameters ?? []).some((q: Json) => resolve(spec, q).name === at.param && resolve(spec, q).required);
  if (carrier) delete carrier[at.param];
  if (required) {
    const first = p.style === 'cursor' ? '' : p.style === 'offset' ? 0 : p.page.start;
    if (at.in === 'body') init.body = { ...(init.body ?? {}), [at.param]: first };
    else init.params.query = { ...(init.params.query ?? {}), [at.param]: first };
  }
  return init;
}

async function walk(vendor: VendorName, path: string, init: Json, pageSize?: number) {
  const pages: unknown[] = [];
  for await (const page of clients[vendor]!.paginate(path, structuredClone(init), { pageSize, maxPages: 200 }).pages()) pages.push(page);
  return pages;
}

for (const vendor of VENDORS) {
  const spec = loadSpec(vendor);
  const paged = operationsOf(spec).filter((o) => o.op['x-scrm-pagination']);
  /** The operations the sandbox answers from its state (the rest page through their example's items). */
  let stateful = new Set<string>();
  beforeAll(async () => {
    const module = await loadStateModule(vendor);
    stateful = new Set(Object.keys(module?.create(createRandom(1), {}).handlers ?? {}));
  });
  total[vendor] = paged.length;
  describe(`${vendor}: every paged operation pages to the end through its own client's paginate()`, () => {
    it.each(paged.map((o) => [o.id, o] as const))('%s', async (id, { path, op }) => {
      const p = op['x-scrm-pagination'];
      const itemsOf = (pages: unknown[]) =>
        pages.flatMap((page) => {
          const items = p.items.split('.').reduce((n: any, k: string) => n?.[k], page);
          return Array.isArray(items) ? items : [];
        });
      const init = await firstPage(vendor, spec, op);
      if (!p.limit) {
        // no page size to ask for: the sandbox's own size (one item a page for an example's items)
        const pages = await walk(vendor, path, init);
        const items = itemsOf(pages);
        if (!stateful.has(id)) {
          const media = resolve(spec, op.responses['200']).content['application/json'];
          expect(items).toEqual(itemsOf([exampleOf(media)]));
        }
        expect(pages.length).toBeGreaterThanOrEqual(stateful.has(id) ? 1 : items.length);
        if (pages.length > 1) crossed[vendor] = (crossed[vendor] ?? 0) + 1;
        expect(pages.length).toBeLessThanOrEqual(Math.max(1, items.length + 1));
      } else {
        // one page of everything (as large a page as the declaration allows), then the same list one item a page
        const whole = itemsOf(await walk(vendor, path, init, p.limit.max ?? 1000));
        const pages = await walk(vendor, path, init, 1);
        const items = itemsOf(pages);
        expect(items).toEqual(whole);
        // pages of one item: as many pages as items (a page-number walk may end on one empty page)
        expect(pages.length).toBeGreaterThanOrEqual(items.length);
        if (pages.length > 1) crossed[vendor] = (crossed[vendor] ?? 0) + 1;
        expect(pages.length).toBeLessThanOrEqual(Math.max(1, items.length + 1));
      }
      (walked[vendor] ??= []).push(id);
    });
  });
}
