// Strict validation, as the vendors check: every operation whose example JSON body has a top-level field of a
// declared type is sent that body with the field flipped to another type — the flips type coercion would let through
// ("918273" for an integer, "false" for a boolean, 918273 for a string) — and gets the vendor's parameter error,
// naming the field and never echoing the value. The operations come from the specs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './server.js';
import { loadSpec, VENDORS, type VendorName } from './spec.js';
import { clientFor, providerRequestFor, exampleOf, operationsOf, resolve, type AnyClient, type Json } from './test-support.js';

const MARK = 918273;
let server: MockServer;
const clients = {} as Record<VendorName, AnyClient>;
const rejected: Record<VendorName, number> = {};
const cases: Record<VendorName, number> = {};

beforeAll(async () => {
  server = await startMockServer();
  for (const vendor of VENDORS) clients[vendor] = await clientFor(server, vendor, { retry: false });
});
afterAll(async () => {
  console.log(`wrong-typed body fields rejected: ${VENDORS.map((v) => `${v} ${rejected[v] ?? 0}/${cases[v]}`).join(', ')}`);
  await server?.close();
});

/** The declared type(s) of each top-level property of a body schema (through $ref and allOf). */
function propertyTypes(spec: Json, schema0: Json | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (node0: Json | undefined) => {
    const node = resolve(spec, node0 as Json);
    if (!node || typeof node !== 'object') return;
    for (const [name, prop0] of Object.entries((node.properties ?? {}) as Json)) {
      const prop = resolve(spec, prop0 as Json);
      const type = prop?.type;
      const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type : [];
      if (types.length > 0 && !out.has(name)) out.set(name, types);
    }
    for (const part of node.allOf ?? []) visit(part);
  };
  visit(schema0);
  return out;
}

/** A value of another type than `types`, of the kind type coercion would accept in its place where it can. */
function flipped(types: string[]): unknown {
  if (types.includes('integer') || types.includes('number')) return types.includes('string') ? { n: MARK } : String(MARK);
  if (types.includes('boolean')) return 'false';
  if (types.includes('string')) return MARK;
  return `${MARK}-wrong`;
}

for (const vendor of VENDORS) {
  const spec = loadSpec(vendor);
  const envelope = spec['x-scrm-envelope'];
  const answer = spec['x-scrm-sandbox'].parameterError;
  const flips = operationsOf(spec).flatMap((o) => {
    const media = resolve(spec, o.op.requestBody)?.content?.['application/json'];
    const example = exampleOf(media);
    if (!example || typeof example !== 'object' || Array.isArray(example)) return [];
    const types = propertyTypes(spec, media.schema);
    const field = Object.keys(example).find((k) => types.has(k));
    return field ? [{ ...o, field, value: flipped(types.get(field)!) }] : [];
  });
  cases[vendor] = flips.length;
  describe(`${vendor}: a wrong-typed body field gets the parameter error`, () => {
    it.each(flips.map((f) => [`${f.id} ${f.field}`, f] as const))('%s', async (_name, { path, method, op, field, value }) => {
      const init = await providerRequestFor(server, vendor, spec, op);
      init.body = { ...init.body, [field]: value };
      let status: number | undefined;
      let body: Json | undefined;
      try {
        const result = await clients[vendor]!.request(method, path, init);
        status = result.response.status;
        body = (result.error ?? result.data) as Json;
      } catch (error) {
        status = (error as { status?: number }).status;
      }
      // the operation's own envelope where it has one (an answer outside any envelope errs in the vendor's)
      const env = typeof op['x-scrm-envelope'] === 'object' ? op['x-scrm-envelope'] : envelope;
      if (typeof answer === 'object') expect(status).toBe(answer.status);
      else {
        expect(body?.[env.code]).toBe(answer);
        expect(String(body?.[env.message])).toContain(`body.${field}`);
        expect(String(body?.[env.message])).not.toContain(String(MARK));
      }
      rejected[vendor] = (rejected[vendor] ?? 0) + 1;
    });
  });
}

describe('lenient validation (the switch)', () => {
  it('accepts "918273" for an integer body field, which strict validation rejects', async () => {
    const lenient = await startMockServer({ vendors: ['wecom'], validation: 'lenient' });
    try {
      const client = await clientFor(lenient, 'wecom', { retry: false });
      const body = { type: '1', scene: 2, user: ['zhangsan'] };
      const result = await client.request('post', '/cgi-bin/externalcontact/add_contact_way', { body });
      expect(result.error).toBeUndefined();
      const strict = await clients.wecom!.request('post', '/cgi-bin/externalcontact/add_contact_way', { body });
      expect((strict.error as Json)?.errcode).toBe(loadSpec('wecom')['x-scrm-sandbox'].parameterError);
    } finally {
      await lenient.close();
    }
  });
});
