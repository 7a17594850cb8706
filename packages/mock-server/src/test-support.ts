// Helpers the contract suites share: the vendors' own clients against a sandbox, the operations of a bundled spec and
// the request its examples describe. Not part of the package (excluded from the build).
import type { MockServer } from './server.js';
import type { VendorName } from './spec.js';

export type Json = Record<string, any>;
export type AnyClient = {
  request(method: string, path: string, init?: unknown): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  paginate(
    path: string,
    init?: unknown,
    options?: { pageSize?: number; maxPages?: number },
  ): AsyncIterable<unknown> & {
    pages(): AsyncGenerator<unknown>;
    toArray(options?: { maxItems?: number }): Promise<unknown[]>;
  };
};

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Each vendor's own client, as the registry names it: `@scrm-openapi/<vendor>` exports `create<Vendor>Client`. */
export async function clientFor(server: MockServer, vendor: VendorName, options: Json = {}): Promise<AnyClient> {
  const factory = `create${vendor
    .split(/[^A-Za-z0-9]+/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')}Client`;
  const create = ((await import(`@scrm-openapi/${vendor}`)) as Record<string, unknown>)[factory] as
    | ((options: object) => AnyClient)
    | undefined;
  if (typeof create !== 'function') throw new Error(`@scrm-openapi/${vendor} does not export ${factory}`);
  return create({ ...server.credentials[vendor], baseUrl: `${server.url}/${vendor}`, ...options });
}

export const exampleOf = (node: Json | undefined) => node?.example ?? (Object.values(node?.examples ?? {})[0] as Json | undefined)?.value;

export const resolve = (spec: Json, node: Json) => {
  let current = node;
  for (let i = 0; current?.$ref && i < 10; i++)
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((a: Json, k: string) => a?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  return current;
};

export const operationsOf = (spec: Json) =>
  Object.entries(spec.paths as Json).flatMap(([path, item]) =>
    Object.entries(resolve(spec, item as Json) as Json)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op: op as Json, id: (op as Json).operationId as string })),
  );

/** The request the spec's own examples describe, with the sandbox's credentials where the operation takes them. */
export function requestFor(server: MockServer, vendor: VendorName, spec: Json, op: Json): Json {
  const init: Json = { params: {} };
  const creds = server.credentials[vendor] as Record<string, string>;
  const auth = spec['x-scrm-auth'];
  for (const p0 of op.parameters ?? []) {
    const p = resolve(spec, p0);
    let value = p.example ?? exampleOf(p);
    if (auth?.type === 'token-endpoint' && op.operationId === auth.operation && auth.credentials[p.name])
      value = creds[auth.credentials[p.name]];
    if (value === undefined) continue;
    (init.params[p.in] ??= {})[p.name] = value;
  }
  const content = resolve(spec, op.requestBody)?.content ?? {};
  if (content['application/json']) init.body = structuredClone(exampleOf(content['application/json']));
  if (content['multipart/form-data']) {
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }), 'sandbox.png');
    init.body = form;
    init.bodySerializer = (b: unknown) => b;
  }
  return init;
}
