// The sandbox's credential sweep: every answer (status, headers, body) and every log line the sandbox produces over
// a whole contract run (every operation of every spec through its own client, from the spec's examples) and a fuzz
// run (fast-check: garbled queries and bodies, wrong, doubled and missing credentials, unknown paths, other methods,
// faults) is searched for every credential value and every token the sandbox issued. The token endpoint's own success
// answer is the one place a token belongs and is left out (its token is added to the values searched for).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '@scrm-openapi/mock-server';
import { SecretSweep } from './sweep.js';
import { loadVendorClients, type AnyClient, type VendorClients } from './vendor-clients.js';

type Json = Record<string, any>;
const sweep = new SecretSweep();
let server: MockServer;
let answers = 0;
let vendors: VendorClients[] = [];
const clients: Record<string, AnyClient> = {};
/** Operation keys (`vendor.operationId`) of the token endpoints, whose success answers carry the token. */
const tokenEndpoints = new Set<string>();

const readPath = (value: unknown, dotted: string) =>
  dotted.split('.').reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Json)[k] : undefined), value);
const resolve = (spec: Json, node: any): any => {
  let current = node;
  for (let i = 0; current?.$ref && i < 10; i++)
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce((a: any, k: string) => a?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  return current;
};
const exampleOf = (node: Json | undefined) => node?.example ?? (Object.values(node?.examples ?? {})[0] as Json | undefined)?.value;
function operations(spec: Json) {
  return Object.entries(spec.paths as Json).flatMap(([path, item0]) => {
    const item = resolve(spec, item0);
    return ['get', 'post'].filter((m) => item?.[m]).map((m) => ({ path, method: m.toUpperCase(), op: item[m] as Json }));
  });
}
/** The request the spec's examples describe (JSON bodies only; a multipart upload is sent without its file). */
function exampleRequest(spec: Json, op: Json): Json {
  const init: Json = { params: {} };
  for (const p0 of op.parameters ?? []) {
    const p = resolve(spec, p0);
    const value = p.example ?? exampleOf(p);
    if (value !== undefined) (init.params[p.in] ??= {})[p.name] = value;
  }
  const media = resolve(spec, op.requestBody)?.content?.['application/json'];
  if (media) init.body = structuredClone(exampleOf(media));
  return init;
}

beforeAll(async () => {
  vendors = await loadVendorClients();
  server = await startMockServer({
    onAnswer: ({ operation, status, headers, body }) => {
      answers++;
      if (operation && tokenEndpoints.has(operation) && status === 200) {
        const vendor = operation.split('.')[0]!;
        const auth = vendors.find((v) => v.vendor.name === vendor)?.create({ baseUrl: 'http://unused.invalid' }).profile.auth;
        if (auth?.type === 'token-endpoint') sweep.add(String(readPath(JSON.parse(body), auth.token.field)));
        return;
      }
      sweep.texts.push(`${status} ${JSON.stringify(headers)} ${body}`);
    },
    log: (line) => sweep.texts.push(line),
  });
  for (const v of vendors) {
    const creds = server.credentials[v.vendor.name] as Record<string, string>;
    sweep.add(...Object.values(creds));
    const client = v.create({
      ...creds,
      baseUrl: `${server.url}/${v.vendor.name}`,
      retry: false,
      logger: sweep.logger(),
      onEvent: sweep.onEvent,
    });
    clients[v.vendor.name] = client;
    if (client.profile.auth.type === 'token-endpoint') tokenEndpoints.add(`${v.vendor.name}.${client.profile.auth.operationId}`);
  }
}, 60_000);
afterAll(() => server?.close());

describe('the sandbox never sends or logs a credential or an issued token', () => {
  it('over every operation of every spec, called through its own client from the examples', async () => {
    for (const v of vendors) {
      for (const { path, method, op } of operations(v.spec)) {
        try {
          await clients[v.vendor.name]!.request(method, path, exampleRequest(v.spec, op));
        } catch (error) {
          sweep.error(error);
        }
      }
    }
    expect(answers).toBeGreaterThan(100);
    expect(sweep.leaks()).toEqual([]);
  }, 120_000);

  it('over a fuzz run: garbled requests, wrong, doubled and missing credentials, unknown paths, other methods, faults', async () => {
    // a working credential of each vendor, sent by hand: the token of a token endpoint, the default static key
    const working: Record<string, { name: string; value: string }> = {};
    for (const v of vendors) {
      const client = clients[v.vendor.name]!;
      const auth = client.profile.auth;
      const creds = server.credentials[v.vendor.name] as Record<string, string>;
      if (auth.type === 'token-endpoint') {
        const query = new URLSearchParams(Object.entries(auth.credentials).map(([param, option]) => [param, creds[option]!]));
        const answer = await (await fetch(`${server.url}/${v.vendor.name}${auth.path}?${query}`)).json();
        working[v.vendor.name] = { name: auth.inject.name, value: String(readPath(answer, auth.token.field)) };
      } else if (auth.type === 'static') {
        working[v.vendor.name] = { name: auth.inject.name, value: creds[auth.credentials[auth.default]!]! };
      }
    }
    const targets = vendors.flatMap((v) => operations(v.spec).map((o) => ({ vendor: v.vendor.name, ...o })));
    const before = answers;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: targets.length - 1 }),
        fc.constantFrom('junk-query', 'junk-body', 'wrong', 'doubled', 'missing', 'unknown-path', 'other-method', 'fault'),
        fc.string({ maxLength: 40 }),
        fc.jsonValue({ maxDepth: 2 }),
        async (i, kind, text, json) => {
          const t = targets[i]!;
          const cred = working[t.vendor]!;
          const query = new URLSearchParams();
          if (kind === 'wrong') query.append(cred.name, `${cred.value}x`);
          else if (kind === 'doubled') {
            query.append(cred.name, cred.value);
            query.append(cred.name, cred.value);
          } else if (kind !== 'missing') query.append(cred.name, cred.value);
          if (kind === 'junk-query') query.append(text || 'k', text);
          const path = kind === 'unknown-path' ? `${t.path}/${encodeURIComponent(text)}x` : t.path;
          const method = kind === 'other-method' ? (t.method === 'GET' ? 'POST' : 'GET') : t.method;
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (kind === 'fault')
            headers['x-scrm-mock-fault'] = fc.sample(
              fc.constantFrom('busy', 'rate-limit', 'token-expired', 'http-500', 'malformed'),
              1,
            )[0]!;
          const body = method === 'GET' ? undefined : kind === 'junk-body' ? text : JSON.stringify(json ?? {});
          const res = await fetch(`${server.url}/${t.vendor}${path}?${query}`, { method, headers, body });
          await res.arrayBuffer();
        },
      ),
      { numRuns: 1500, seed: 18 },
    );
    expect(answers - before).toBeGreaterThanOrEqual(1500);
    expect(sweep.leaks()).toEqual([]);
  }, 120_000);
});
