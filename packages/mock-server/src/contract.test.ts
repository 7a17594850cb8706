// Contract tests: every operation of every spec, called through its own client against the sandbox, succeeds and
// its answer validates against the operation's own response schema in the bundled spec; creates are visible in the
// following read; each fault kind fires (counted at the sandbox) and produces the behaviour the runtime promises.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createJuzibotClient } from '@scrm-openapi/juzibot';
import { createWecomClient, ScrmHttpError, ScrmParseError, ScrmTimeoutError, unwrap } from '@scrm-openapi/wecom';
import type { createWeilingClient } from '@scrm-openapi/weiling';
import { loadSpec, VENDORS, type VendorName } from './spec.js';
import { startMockServer, type MockServer } from './server.js';
import { clientFor, operationsOf, providerRequestFor, requestFor, resolve } from './test-support.js';

type Json = Record<string, any>;
type AnyClient = {
  request(method: string, path: string, init?: unknown): Promise<{ data?: unknown; error?: unknown; response: Response }>;
};

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => void;
/** Retries the clients of this suite may make; the fault tests derive their expected request counts from it. */
const MAX_RETRIES = 2;

let server: MockServer;
const clients = {} as Record<VendorName, AnyClient>;

beforeAll(async () => {
  server = await startMockServer({ timeoutFaultMs: 2000 });
  const common = { retry: { maxRetries: MAX_RETRIES, baseDelayMs: 1, throttleDelayMs: 1 } };
  // each vendor's own client, as the registry names it (test-support.ts)
  for (const vendor of VENDORS) clients[vendor] = await clientFor(server, vendor, common);
});
afterAll(() => server?.close());

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Response validators, compiled the way spec.ts compiles the sandbox's request validators: the whole bundled spec
 * is added to ajv (2020) under an id and each schema is compiled as a `$ref` into it, so every `$ref` resolves
 * within the spec exactly as it does for the sandbox. Unlike the request side there is no type coercion (an
 * answer must match as sent) and all errors are collected. Responses are tolerant in the spec (no
 * additionalProperties: false), and they are validated as the spec says, nothing stricter.
 */
function responseValidators(vendor: VendorName, spec: Json) {
  const id = `https://scrm-openapi.invalid/${vendor}.responses.json`;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: id }, id);
  /** Walks a JSON pointer in the spec, following a `$ref` wherever a node is one; returns the pointer reached. */
  const locate = (pointer: string[]): { pointer: string; node: Json | undefined } => {
    let node: Json | undefined = spec;
    let at: string[] = [];
    for (const segment of pointer) {
      node = node?.[segment];
      at.push(segment);
      for (let i = 0; typeof node?.$ref === 'string' && node.$ref.startsWith('#/') && i < 10; i++) {
        at = node.$ref
          .slice(2)
          .split('/')
          .map((s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
        node = resolve(spec, node);
      }
    }
    return { pointer: `#/${at.map(escapePointer).join('/')}`, node };
  };
  return (path: string, method: string): ValidateFunction | undefined => {
    const media = locate(['paths', path, method, 'responses', '200', 'content', 'application/json']);
    if (media.node?.schema === undefined) return undefined;
    return ajv.compile({ $ref: `${id + media.pointer}/schema` });
  };
}

const describeErrors = (errors: ErrorObject[] | null | undefined, shown = 5) => {
  const all = (errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message}${e.keyword === 'type' ? '' : ` ${JSON.stringify(e.params)}`}`,
  );
  return all.slice(0, shown).join('; ') + (all.length > shown ? `; and ${all.length - shown} more` : '');
};

/** A wrong-typed stand-in for a value: a number for a string, a string for anything else. */
const wrongTyped = (value: unknown) => (typeof value === 'string' ? 12345 : 'not-the-declared-type');

for (const vendor of VENDORS) {
  const spec = loadSpec(vendor);
  /** Operations whose success answer was validated (checked against the spec's operation list below). */
  const validated = new Set<string>();
  /** Operations where replacing a field of the sandbox's answer with a wrong-typed value was rejected. */
  const corruptionCaught = new Set<string>();
  const ops = operationsOf(spec);
  const validatorFor = responseValidators(vendor, spec);
  describe(`${vendor}: every operation through its own client`, () => {
    it.each(ops.map((o) => [o.id, o] as const))(
      '%s answers a success that matches its response schema',
      async (id, { path, method, op }) => {
        // an operation whose success answer is a file (media/get): bytes, with the content type and name of a download
        if (op.responses?.['200']?.content && !op.responses['200'].content['application/json']) {
          const result = await clients[vendor]!.request(method, path, { ...requestFor(server, vendor, spec, op), parseAs: 'arrayBuffer' });
          expect(result.error, JSON.stringify(result.error)).toBeUndefined();
          expect((result.data as ArrayBuffer).byteLength).toBeGreaterThan(0);
          expect(result.response.headers.get('content-disposition')).toMatch(/^attachment; filename=/);
          validated.add(id);
          corruptionCaught.add(id); // a file has no fields to corrupt
          return;
        }
        const validate = validatorFor(path, method);
        expect(validate, `${id} has no application/json schema for its 200 answer`).toBeDefined();
        const before = server.stats().requests[`${vendor}.${id}`] ?? 0;
        const result = await clients[vendor]!.request(method, path, await providerRequestFor(server, vendor, spec, op));
        expect(result.error, JSON.stringify(result.error)).toBeUndefined();
        expect(result.response.status).toBe(200);
        // the sandbox served this operation itself (one request, no retry), not some other route
        expect((server.stats().requests[`${vendor}.${id}`] ?? 0) - before).toBe(1);
        const valid = validate!(result.data);
        expect(valid, `${vendor} ${id}: the answer does not match its response schema: ${describeErrors(validate!.errors)}`).toBe(true);
        validated.add(id);

        // the validation is real: the same answer with one field wrong-typed is rejected, for some field it has
        const data = result.data as Json;
        if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
          for (const key of Object.keys(data)) {
            if (!validate!({ ...data, [key]: wrongTyped(data[key]) })) {
              corruptionCaught.add(id);
              break;
            }
          }
        }
      },
    );

    it('every operation of the spec was called and its answer validated (counted from the spec)', () => {
      expect(ops.length).toBeGreaterThan(0);
      expect([...validated].sort()).toEqual(ops.map((o) => o.id).sort());
      const requests = server.stats().requests;
      expect(ops.filter((o) => !(requests[`${vendor}.${o.id}`]! >= 1)).map((o) => o.id)).toEqual([]);
      // a wrong-typed field is caught in every answer that has a field whose type its schema declares
      expect(ops.filter((o) => !corruptionCaught.has(o.id)).map((o) => o.id)).toEqual([]);
    });
  });
}

describe('state: a create is visible in the following read', () => {
  it('WeCom: add_contact_way → get_contact_way and list_contact_way', async () => {
    const wecom = clients.wecom as unknown as ReturnType<typeof createWecomClient>;
    const { config_id } = unwrap(
      await wecom.POST('/cgi-bin/externalcontact/add_contact_way', { body: { type: 1, scene: 2, user: ['lisi'], state: 'contract-test' } }),
    );
    const { contact_way } = unwrap(await wecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: config_id! } }));
    expect(contact_way).toMatchObject({ config_id, state: 'contract-test', user: ['lisi'] });
    const ids = (await wecom.paginate('/cgi-bin/externalcontact/list_contact_way', undefined, { pageSize: 1 }).toArray()).map(
      (w) => w.config_id,
    );
    expect(ids).toContain(config_id);
    const { errcode } =
      (await wecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: 'no-such-config' } })).error ?? {};
    expect(errcode).toBe(41044);
  });

  it('WeCom: add_corp_tag → mark_tag → customer detail shows the tag', async () => {
    const wecom = clients.wecom as unknown as ReturnType<typeof createWecomClient>;
    const { tag_group } = unwrap(
      await wecom.POST('/cgi-bin/externalcontact/add_corp_tag', { body: { group_name: '合同测试', tag: [{ name: '高意向' }] } }),
    );
    const tagId = tag_group!.tag![0]!.id!;
    unwrap(
      await wecom.POST('/cgi-bin/externalcontact/mark_tag', {
        body: { userid: 'zhangsan', external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA', add_tag: [tagId] },
      }),
    );
    const detail = unwrap(
      await wecom.GET('/cgi-bin/externalcontact/get', { params: { query: { external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA' } } }),
    );
    expect(detail.follow_user?.[0]?.tags?.map((t) => t.tag_id)).toContain(tagId);
  });

  it('WeCom: a customer added in the sandbox appears in list and batch/get_by_user', async () => {
    const { externalUserId } = await server.addWecomCustomer({ userid: 'wangwu', name: '新客户' });
    const wecom = clients.wecom as unknown as ReturnType<typeof createWecomClient>;
    const list = unwrap(await wecom.GET('/cgi-bin/externalcontact/list', { params: { query: { userid: 'wangwu' } } }));
    expect(list.external_userid).toContain(externalUserId);
    const all = await wecom
      .paginate('/cgi-bin/externalcontact/batch/get_by_user', { body: { userid_list: ['wangwu'] } }, { pageSize: 3 })
      .toArray();
    expect(all.map((c) => c.external_contact?.external_userid)).toContain(externalUserId);
  });

  it('Juzibot: contactWay/add with a state shows up in channel/list', async () => {
    const juzibot = clients.juzibot as unknown as ReturnType<typeof createJuzibotClient>;
    const { config_id } = unwrap(
      await juzibot.POST('/api/v1/contactWay/add', { body: { type: 1, scene: 2, user: ['zhangsan'], state: 'juzibot-contract' } }),
    );
    const channels = await juzibot.paginate('/api/v1/channel/list', undefined, { pageSize: 2 }).toArray();
    expect(channels.find((c) => c.state === 'juzibot-contract')?.configId).toBe(config_id);
  });

  it('Weiling: contact/create → contact/batch', async () => {
    const weiling = clients.weiling as unknown as ReturnType<typeof createWeilingClient>;
    const created = unwrap(
      await weiling.POST('/openapi/contact/create', {
        body: {
          user_name: '合同测试',
          status: 1,
          contact_ways: [{ type: 1, contact_way: '13800000000' }],
          create_time: Date.now(),
        } as never,
      }),
    );
    const id = (created as { data?: { contact_id?: string } }).data?.contact_id;
    expect(id).toBeTruthy();
    const batch = unwrap(await weiling.POST('/openapi/contact/batch', { body: { contact_ids: [id!, 'missing-id'] } }));
    expect(batch.data?.contact_list?.[0]).toMatchObject({ contact_id: id, user_name: '合同测试' });
    // fail_list is not in the documented answer of 19.2, but batch calls report unknown ids there (tolerant schema)
    expect((batch.data as { fail_list?: unknown[] }).fail_list?.[0]).toMatchObject({ contact_id: 'missing-id', error_code: 1003 });
  });
  // the other vendors' state checks live beside their state handler (src/vendors/<vendor>.test.ts)
});

/** Requests the sandbox received per operation of `vendor` since the call: `{ getFollowUserList: 2 }`. */
function requestCounter(vendor: VendorName): () => Record<string, number> {
  const snapshot = (): Record<string, number> =>
    Object.fromEntries(
      Object.entries(server.stats().requests)
        .filter(([k]) => k.startsWith(`${vendor}.`))
        .map(([k, n]) => [k.slice(vendor.length + 1), n]),
    );
  const before = snapshot();
  return () =>
    Object.fromEntries(Object.entries(snapshot()).flatMap(([k, n]) => (n - (before[k] ?? 0) > 0 ? [[k, n - (before[k] ?? 0)]] : [])));
}

/** The outcome of a call, as a value: success, the vendor's error code from the body, or the thrown error. */
async function outcomeOf(call: () => Promise<{ error?: unknown }>, codeField: string) {
  try {
    const { error } = await call();
    return error === undefined ? { success: true } : { code: (error as Json)[codeField] };
  } catch (error) {
    return { thrown: (error as Error).name, status: (error as { status?: number }).status };
  }
}

describe('faults fire (counted at the sandbox) and produce the behaviour the runtime promises', () => {
  // every vendor: its first authenticated, idempotent operation inside the envelope, found in the spec
  for (const vendor of VENDORS) {
    const spec = loadSpec(vendor);
    const auth = spec['x-scrm-auth'];
    const envelope = spec['x-scrm-envelope'];
    const answers = spec['x-scrm-sandbox'];
    const target = operationsOf(spec).find(
      (o) =>
        o.op['x-scrm-idempotent'] === true &&
        o.id !== auth.operation &&
        !(Array.isArray(o.op.security) && o.op.security.length === 0) &&
        o.op['x-scrm-envelope'] === undefined,
    )!;
    /** What a call ends with when the sandbox answers as the vendor does in `situation` and no retry is left. */
    const failure = (situation: 'busy' | 'expiredToken') =>
      typeof answers[situation] === 'object'
        ? { thrown: 'ScrmHttpError', status: answers[situation].status }
        : { code: answers[situation] };
    const call = () => clients[vendor]!.request(target.method, target.path, requestFor(server, vendor, spec, target.op));

    describe(`${vendor} ${target.id}`, () => {
      beforeAll(async () => {
        expect(target).toBeDefined();
        await call(); // a token in hand, so that the counts below are of the faults alone
      });

      it(`busy ×${MAX_RETRIES}: each answer retried, then success`, async () => {
        server.injectFault({ vendor, operation: target.id, kind: 'busy', count: MAX_RETRIES });
        const count = requestCounter(vendor);
        expect(await outcomeOf(call, envelope.code)).toEqual({ success: true });
        expect(count()).toEqual({ [target.id]: MAX_RETRIES + 1 });
      });

      it(`busy ×${MAX_RETRIES + 1}: the retry budget runs out and the vendor's busy answer surfaces`, async () => {
        server.injectFault({ vendor, operation: target.id, kind: 'busy', count: MAX_RETRIES + 1 });
        const count = requestCounter(vendor);
        expect(await outcomeOf(call, envelope.code)).toEqual(failure('busy'));
        expect(count()).toEqual({ [target.id]: MAX_RETRIES + 1 });
        // the faults were all used up: the next call goes through at once
        expect(await outcomeOf(call, envelope.code)).toEqual({ success: true });
        expect(count()).toEqual({ [target.id]: MAX_RETRIES + 2 });
      });

      it('rate-limit: backed off, retried once, success', async () => {
        server.injectFault({ vendor, operation: target.id, kind: 'rate-limit', count: 1 });
        const count = requestCounter(vendor);
        expect(await outcomeOf(call, envelope.code)).toEqual({ success: true });
        expect(count()).toEqual({ [target.id]: 2 });
      });

      if (auth.type === 'token-endpoint') {
        it(`token-expired: one refresh (${auth.operation}), one retry, success`, async () => {
          server.injectFault({ vendor, operation: target.id, kind: 'token-expired', count: 1 });
          const count = requestCounter(vendor);
          expect(await outcomeOf(call, envelope.code)).toEqual({ success: true });
          expect(count()).toEqual({ [auth.operation]: 1, [target.id]: 2 });
        });

        it('token-expired twice in a row: one refresh only, then the error surfaces (never loops)', async () => {
          server.injectFault({ vendor, operation: target.id, kind: 'token-expired', count: 2 });
          const count = requestCounter(vendor);
          expect(await outcomeOf(call, envelope.code)).toEqual(failure('expiredToken'));
          expect(count()).toEqual({ [auth.operation]: 1, [target.id]: 2 });
        });
      } else {
        it('token-expired (static credentials): nothing to refresh, no retry, the error surfaces', async () => {
          server.injectFault({ vendor, operation: target.id, kind: 'token-expired', count: 1 });
          const count = requestCounter(vendor);
          expect(await outcomeOf(call, envelope.code)).toEqual(failure('expiredToken'));
          expect(count()).toEqual({ [target.id]: 1 });
        });
      }
    });
  }

  describe('WeCom: transport faults on a read and a non-idempotent write', () => {
    const path = '/cgi-bin/externalcontact/get_follow_user_list';
    const writePath = '/cgi-bin/externalcontact/add_contact_way';
    const wecom = () => clients.wecom as unknown as ReturnType<typeof createWecomClient>;
    const applied = () => server.stats().applied['wecom.addContactWay'] ?? 0;

    it('http-500 on a read: retried once, success; on a write: not retried, thrown, not applied', async () => {
      server.injectFault({ vendor: 'wecom', operation: 'getFollowUserList', kind: 'http-500', count: 1 });
      let count = requestCounter('wecom');
      expect((await wecom().GET(path)).error).toBeUndefined();
      expect(count()).toEqual({ getFollowUserList: 2 });
      const before = applied();
      server.injectFault({ vendor: 'wecom', operation: 'addContactWay', kind: 'http-500', count: 1 });
      count = requestCounter('wecom');
      await expect(wecom().POST(writePath, { body: { type: 1, scene: 2, user: ['lisi'] } })).rejects.toBeInstanceOf(ScrmHttpError);
      expect(count()).toEqual({ addContactWay: 1 });
      expect(applied()).toBe(before);
    });

    it('malformed and html: retried on a read; typed parse errors when no retry is allowed', async () => {
      for (const kind of ['malformed', 'html'] as const) {
        server.injectFault({ vendor: 'wecom', operation: 'getFollowUserList', kind, count: 1 });
        const count = requestCounter('wecom');
        expect((await wecom().GET(path)).error).toBeUndefined();
        expect(count()).toEqual({ getFollowUserList: 2 });
      }
      const noRetry = createWecomClient({ ...server.credentials.wecom, baseUrl: `${server.url}/wecom`, retry: false });
      unwrap(await noRetry.GET(path)); // its own token first
      server.injectFault({ vendor: 'wecom', operation: 'getFollowUserList', kind: 'malformed', count: 1 });
      let count = requestCounter('wecom');
      await expect(noRetry.GET(path)).rejects.toMatchObject({ name: 'ScrmParseError', kind: 'json' });
      expect(count()).toEqual({ getFollowUserList: 1 });
      server.injectFault({ vendor: 'wecom', operation: 'getFollowUserList', kind: 'html', count: 1 });
      count = requestCounter('wecom');
      await expect(noRetry.GET(path)).rejects.toBeInstanceOf(ScrmParseError);
      expect(count()).toEqual({ getFollowUserList: 1 });
    });

    it('timeout: the per-attempt timeout fires, the read is retried once; the write is not retried', async () => {
      const quick = createWecomClient({
        ...server.credentials.wecom,
        baseUrl: `${server.url}/wecom`,
        timeoutMs: 300,
        retry: { baseDelayMs: 1 },
      });
      unwrap(await quick.GET(path)); // its own token first
      server.injectFault({ vendor: 'wecom', operation: 'getFollowUserList', kind: 'timeout', count: 1 });
      let count = requestCounter('wecom');
      expect((await quick.GET(path)).error).toBeUndefined();
      expect(count()).toEqual({ getFollowUserList: 2 });
      const before = applied();
      server.injectFault({ vendor: 'wecom', operation: 'addContactWay', kind: 'timeout', count: 1 });
      count = requestCounter('wecom');
      await expect(quick.POST(writePath, { body: { type: 1, scene: 2, user: ['lisi'] } })).rejects.toBeInstanceOf(ScrmTimeoutError);
      expect(count()).toEqual({ addContactWay: 1 });
      expect(applied()).toBe(before);
    }, 20_000);

    it('the x-scrm-mock-fault header and bad input', async () => {
      const res = await fetch(`${server.url}/wecom/cgi-bin/gettoken?corpid=x&corpsecret=y`, {
        headers: { 'x-scrm-mock-fault': 'http-500' },
      });
      expect(res.status).toBe(500);
      const bad = await wecom().POST(writePath, { body: { scene: 2 } as never });
      expect(bad.error).toMatchObject({ errcode: loadSpec('wecom')['x-scrm-sandbox'].parameterError });
      expect(bad.error?.errmsg).toContain('body.type');
    });

    it('auth like the vendor: missing, unknown and expired tokens', async () => {
      const answers = loadSpec('wecom')['x-scrm-sandbox'];
      const missing = await (await fetch(`${server.url}/wecom${path}`)).json();
      expect(missing.errcode).toBe(answers.missingToken);
      const unknown = await (await fetch(`${server.url}/wecom${path}?access_token=forged`)).json();
      expect(unknown.errcode).toBe(answers.invalidToken);
      const shortLived = await startMockServer({ vendors: ['wecom'], tokenTtlSeconds: 0.2 });
      const tok = await (
        await fetch(
          `${shortLived.url}/wecom/cgi-bin/gettoken?corpid=${shortLived.credentials.wecom.corpId}&corpsecret=${shortLived.credentials.wecom.corpSecret}`,
        )
      ).json();
      await new Promise((r) => setTimeout(r, 300));
      const expired = await (await fetch(`${shortLived.url}/wecom${path}?access_token=${tok.access_token}`)).json();
      expect(expired.errcode).toBe(answers.expiredToken);
      await shortLived.close();
    });
  });

  // every static-credential vendor: a key the vendor never issued is refused the way its spec says
  for (const vendor of VENDORS) {
    const spec = loadSpec(vendor);
    const auth = spec['x-scrm-auth'];
    if (auth.type !== 'static') continue;
    const target = operationsOf(spec).find(
      (o) => o.method === 'get' && !o.op['x-scrm-credential'] && !(Array.isArray(o.op.security) && o.op.security.length === 0),
    )!;
    it(`${vendor}: an unknown ${auth.inject.name} is answered as x-scrm-sandbox.invalidToken says`, async () => {
      const answer = spec['x-scrm-sandbox'].invalidToken;
      const res = await fetch(`${server.url}/${vendor}${target.path}?${auth.inject.name}=wrong`);
      if (typeof answer === 'object') expect(res.status).toBe(answer.status);
      else expect((await res.json())[spec['x-scrm-envelope'].code]).toBe(answer);
    });
  }
});
