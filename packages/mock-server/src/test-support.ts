// Helpers the contract suites share: the vendors' own clients against a sandbox, the operations of a bundled spec and
// the request its examples describe. Not part of the package (excluded from the build).
import type { MockServer } from './server.js';
import { loadSpec, type VendorName } from './spec.js';

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

/**
 * The request of an operation of the provider flow (`x-scrm-tokens`: WeCom's suite, provider and corp tokens of
 * service providers), with what the spec's examples cannot know and the sandbox checks: a token of the kind the
 * operation carries, the credentials of a kind it issues, and the one-time codes of the install flow (a ticket the
 * sandbox pushed, an auth code from an install, the installed corp's id and permanent code).
 */
export async function providerRequestFor(server: MockServer, vendor: VendorName, spec: Json, op: Json): Promise<Json> {
  const init = requestFor(server, vendor, spec, op);
  const kinds = (spec['x-scrm-tokens'] ?? {}) as Json;
  const issued = Object.entries(kinds).find(([, k]) => k.operation === op.operationId && k.operation !== spec['x-scrm-auth']?.operation);
  if (!op['x-scrm-token'] && !issued) return init;
  const values = await providerValues(server, vendor);
  if (op['x-scrm-token']) {
    const kind = kinds[op['x-scrm-token']];
    init.params.query = { ...init.params.query, [kind.inject.name]: await tokenOf(server, vendor, spec, op['x-scrm-token']) };
  }
  const body = init.body as Json | undefined;
  if (body && typeof body === 'object') {
    if ('auth_code' in body) body.auth_code = await values.authCode();
    if ('pre_auth_code' in body) body.pre_auth_code = await values.preAuthCode();
    if ('auth_corpid' in body) body.auth_corpid = values.corpId;
    if ('permanent_code' in body) body.permanent_code = values.permanentCode;
  }
  if (issued) init.body = await credentialsOf(server, vendor, issued[1]);
  return init;
}

const providerCache = new WeakMap<MockServer, Map<VendorName, Promise<Awaited<ReturnType<typeof installForContract>>>>>();
const providerValues = (server: MockServer, vendor: VendorName) => {
  let perServer = providerCache.get(server);
  if (!perServer) providerCache.set(server, (perServer = new Map()));
  let values = perServer.get(vendor);
  if (!values) perServer.set(vendor, (values = installForContract(server, vendor)));
  return values;
};
/** A corp with the sandbox's app installed and its authorization completed (WeCom's install flow). */
async function installForContract(server: MockServer, vendor: VendorName) {
  const spec = loadSpec(vendor);
  const base = `${server.url}/${vendor}`;
  const authCode = async () => (await server.act(vendor, 'install', {})).authCode as string;
  const suite = await tokenOf(server, vendor, spec, 'suite');
  const first = await (
    await fetch(`${base}/cgi-bin/service/get_permanent_code?suite_access_token=${suite}`, {
      method: 'POST',
      body: JSON.stringify({ auth_code: await authCode() }),
    })
  ).json();
  const preAuthCode = async () =>
    (
      await (
        await fetch(`${base}/cgi-bin/service/get_pre_auth_code?suite_access_token=${await tokenOf(server, vendor, spec, 'suite')}`)
      ).json()
    ).pre_auth_code as string;
  return { corpId: first.auth_corp_info.corpid as string, permanentCode: first.permanent_code as string, authCode, preAuthCode };
}
/** The credentials of a token kind: the sandbox's fixed ones, a pushed ticket, the installed corp's permanent code. */
async function credentialsOf(server: MockServer, vendor: VendorName, kind: Json): Promise<Json> {
  const fixed = server.providers[vendor]?.credentials ?? {};
  const out: Json = {};
  for (const [param, option] of Object.entries(kind.credentials as Record<string, string>)) {
    if (fixed[option] !== undefined) out[param] = fixed[option];
    else if (option === 'suiteTicket') out[param] = (await server.act(vendor, 'suite-ticket')).suiteTicket;
    else {
      const values = await providerValues(server, vendor);
      out[param] = option === 'authCorpId' ? values.corpId : values.permanentCode;
    }
  }
  return out;
}
/** A fresh token of a kind, from its token operation (carrying the token that one carries). */
async function tokenOf(server: MockServer, vendor: VendorName, spec: Json, name: string): Promise<string> {
  const kind = spec['x-scrm-tokens'][name];
  const [path] = Object.entries(spec.paths as Json).find(([, item]) =>
    Object.values(resolve(spec, item) as Json).some((o: Json) => o?.operationId === kind.operation),
  )!;
  const query = kind.carries
    ? `?${spec['x-scrm-tokens'][kind.carries].inject.name}=${await tokenOf(server, vendor, spec, kind.carries)}`
    : '';
  const answer = await (
    await fetch(`${server.url}/${vendor}${path}${query}`, {
      method: 'POST',
      body: JSON.stringify(await credentialsOf(server, vendor, kind)),
    })
  ).json();
  return answer[kind.token.field];
}
