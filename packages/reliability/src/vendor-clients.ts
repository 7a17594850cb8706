// The clients of every vendor of the repository, found through the registry (@scrm-openapi/vendors) rather than by
// name: `@scrm-openapi/<vendor>` exports `create<Vendor>Client`. Tests that hold for every vendor iterate these, so a
// vendor added to the repository is covered without editing them.
import type { VendorProfile } from '@scrm-openapi/core';
import { bundledSpec, vendors, type Vendor } from '@scrm-openapi/vendors';

export type Result = { data?: unknown; error?: unknown; response: Response };
export type AnyClient = {
  profile: VendorProfile;
  request(method: string, path: string, init?: unknown): Promise<Result>;
  GET(path: string, init?: unknown): Promise<Result>;
  POST(path: string, init?: unknown): Promise<Result>;
};
export type Call = { method: 'GET' | 'POST'; path: string; operation: string; init?: Record<string, unknown> };

export interface VendorClients {
  vendor: Vendor;
  spec: Record<string, any>;
  create(options: Record<string, unknown>): AnyClient;
}

/** Every vendor with a client package, its bundled spec and its client factory. */
export async function loadVendorClients(): Promise<VendorClients[]> {
  return Promise.all(
    vendors
      .filter((v) => v.clientPackage)
      .map(async (vendor) => {
        const create = ((await import(vendor.clientPackage!)) as Record<string, unknown>)[vendor.factory];
        if (typeof create !== 'function') throw new Error(`${vendor.clientPackage} does not export ${vendor.factory}`);
        return { vendor, spec: bundledSpec(vendor), create: create as VendorClients['create'] };
      }),
  );
}

const METHODS = ['get', 'post'] as const;

function resolve(spec: Record<string, any>, node: any): any {
  let current = node;
  for (let i = 0; current?.$ref && i < 10; i++)
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((acc: any, k: string) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  return current;
}

function operations(spec: Record<string, any>) {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item0]) => {
    const item = resolve(spec, item0);
    return METHODS.filter((m) => item?.[m]).map((m) => ({
      path,
      method: m.toUpperCase() as 'GET' | 'POST',
      op: item[m],
      params: [...(item.parameters ?? []), ...(item[m].parameters ?? [])].map((p: unknown) => resolve(spec, p)),
    }));
  });
}

/** An ordinary business call: inside the envelope, not the token endpoint, taking a managed credential. */
const ordinary = (spec: Record<string, any>, op: any) =>
  op.operationId !== spec['x-scrm-auth']?.operation &&
  op['x-scrm-envelope'] !== 'none' &&
  !(Array.isArray(op.security) && op.security.length === 0 && !op['x-scrm-credential']);

/**
 * GET calls without required parameters that the sandbox answers with a success: one per credential the vendor's
 * operations take (static credentials: the default one and each other one an operation names; token endpoint: one).
 */
export function successCalls(spec: Record<string, any>): Call[] {
  const auth = spec['x-scrm-auth'];
  const found = new Map<string, Call>();
  for (const { path, method, op, params } of operations(spec)) {
    if (method !== 'GET' || !ordinary(spec, op) || params.some((p: any) => p?.required)) continue;
    const credential = auth.type === 'static' ? (op['x-scrm-credential']?.use ?? auth.default) : 'token';
    if (!found.has(credential)) found.set(credential, { method, path, operation: op.operationId });
  }
  if (found.size === 0) throw new Error(`${spec['x-scrm-vendor']}: no GET operation without required parameters`);
  return [...found.values()];
}

/** A POST whose JSON body has required fields, sent with an empty body: the sandbox answers its parameter error. */
export function invalidCall(spec: Record<string, any>): Call {
  for (const { path, method, op } of operations(spec)) {
    if (method !== 'POST' || !ordinary(spec, op)) continue;
    const schema = resolve(spec, resolve(spec, op.requestBody)?.content?.['application/json']?.schema);
    if (Array.isArray(schema?.required) && schema.required.length > 0)
      return { method, path, operation: op.operationId, init: { body: {} } };
  }
  throw new Error(`${spec['x-scrm-vendor']}: no POST operation with a required body field`);
}

/** The sandbox credentials (client option names) whose values are secrets: every static key, or the token endpoint's secrets. */
export function secretOptions(spec: Record<string, any>): string[] {
  const auth = spec['x-scrm-auth'];
  const wires = auth.type === 'static' ? Object.keys(auth.credentials) : (auth.secrets ?? []);
  return wires.map((w: string) => auth.credentials[w] as string);
}
