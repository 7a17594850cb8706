import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createFakeFetch } from '@scrm-openapi/core/testing';
import { createWeilingClient, ScrmApiError, ScrmHttpError, unwrap, type WeilingClientOptions } from './index.js';

const APP_ID = 'wloa4376fe67dc041d474a79513ed70ae3db';
const APP_SECRET = 'weiling-APP-SECRET-do-not-leak-0001';
const TOKEN_PATH = '/openapi/auth/access_token/get';
const token = (n: number) => `weiling-ACCESS-TOKEN-do-not-leak-${n}`;

function weiling(business: Parameters<typeof createFakeFetch>[0], extra: Partial<WeilingClientOptions> = {}) {
  let issued = 0;
  const fetch = createFakeFetch((call, i) => {
    if (call.path === TOKEN_PATH) return { code: 0, msg: 'success', data: { access_token: token(++issued) } };
    return business(call, i);
  });
  const client = createWeilingClient({ appId: APP_ID, appSecret: APP_SECRET, fetch, retry: { baseDelayMs: 1 }, throttle: false, ...extra });
  return { fetch, client, tokenCalls: () => fetch.calls.filter((c) => c.path === TOKEN_PATH) };
}

const contactIds = ['ZiDcy2WgGA29LddvWH0ogdZOLItF6RdkE6wE-xqfhDY'];

describe('createWeilingClient', () => {
  it('gets the token with app_id / app_secret and sends it as access_token', async () => {
    const { fetch, client, tokenCalls } = weiling(() => ({ code: 0, msg: 'success', data: { contact_list: [] } }));
    await client.POST('/openapi/contact/batch', { body: { contact_ids: contactIds } });
    expect(tokenCalls()[0]?.query).toEqual({ app_id: APP_ID, app_secret: APP_SECRET });
    expect(fetch.calls.at(-1)?.query).toEqual({ access_token: token(1) });
  });

  it('treats code 0 and "0" as success, and a string error code as a typed error', async () => {
    for (const code of [0, '0']) {
      const { client } = weiling(() => ({ code, msg: 'success', data: {} }));
      expect((await client.POST('/openapi/contact/batch', { body: { contact_ids: contactIds } })).error).toBeUndefined();
    }
    const { client } = weiling(() => ({ code: '1001', msg: '参数非法' }));
    const result = await client.POST('/openapi/contact/batch', { body: { contact_ids: contactIds } });
    expect(result.error).toEqual({ code: '1001', msg: '参数非法' });
    let error: unknown;
    try {
      unwrap(result);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScrmApiError);
    expect(error).toMatchObject({ code: 1001, vendor: 'weiling', operation: 'contactBatch' });
  });

  it('types partial failures of batch writes', async () => {
    const { client } = weiling(() => ({
      code: 0,
      msg: 'success',
      data: { fail_list: [{ contact_id: contactIds[0], error_code: 1003, error_msg: '数据不存在' }] },
    }));
    const { data } = await client.POST('/openapi/contact/disuse', { body: { contatc_ids: contactIds } as never });
    expect(data).toBeDefined();
    const res = await client.POST('/openapi/contact/owner_change', {
      body: { contact_list: [{ contact_id: contactIds[0]!, owner_id: 'u1' }] } as never,
    });
    const failList = (res.data as { data?: { fail_list?: { error_code?: unknown }[] } })?.data?.fail_list;
    expect(failList?.[0]?.error_code).toBe(1003);
  });

  it('refreshes the token once on the auth error code and retries', async () => {
    let rejected = false;
    const { client, tokenCalls } = weiling((call) => {
      if (!rejected && call.query.access_token === token(1)) {
        rejected = true;
        return { code: 1007, msg: '非法访问' };
      }
      return { code: 0, msg: 'success', data: { contact_list: [] } };
    });
    expect((await client.POST('/openapi/contact/batch', { body: { contact_ids: contactIds } })).error).toBeUndefined();
    expect(tokenCalls()).toHaveLength(2);
  });

  it('keeps a token for the configured lifetime when Weiling sends none', async () => {
    const { client, tokenCalls } = weiling(() => ({ code: 0, data: { contact_list: [] } }), {
      tokenTtlSeconds: 1,
      tokenRefreshMarginMs: 0,
    });
    await client.POST('/openapi/contact/batch', { body: { contact_ids: contactIds } });
    await new Promise((r) => setTimeout(r, 1100));
    await client.POST('/openapi/contact/batch', { body: { contact_ids: contactIds } });
    expect(tokenCalls()).toHaveLength(2);
  });

  it('pages with data.cursor until it is empty (contact/list)', async () => {
    const { fetch, client } = weiling((call) =>
      call.query.cursor === 'c2'
        ? { code: 0, data: { contact_list: [{ contact_id: 'b' }], cursor: '' } }
        : { code: 0, data: { contact_list: [{ contact_id: 'a' }], cursor: 'c2' } },
    );
    const contacts = await client
      .paginate('/openapi/contact/list', { params: { query: { start_day: '2024-01-01', end_day: '2024-01-31' } } })
      .toArray();
    expectTypeOf(contacts[0]!.contact_id).toEqualTypeOf<string | undefined>();
    expect(contacts.map((c) => c.contact_id)).toEqual(['a', 'b']);
    expect(fetch.calls.filter((c) => c.path === '/openapi/contact/list').map((c) => c.query.cursor)).toEqual([undefined, 'c2']);
  });

  it('never shows app_secret or access_token in errors or logs', async () => {
    const lines: string[] = [];
    const log = (obj: Record<string, unknown>, msg?: string) => lines.push(`${msg} ${JSON.stringify(obj)}`);
    const { client } = weiling((call) => new Response(`error at ${call.url.href} secret=${APP_SECRET}`, { status: 500 }), {
      retry: false,
      logger: { debug: log, info: log, warn: log, error: log },
    });
    const error = await client.POST('/openapi/contact/batch', { body: { contact_ids: contactIds } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // the call must fail, and the failure must have been logged, or there is nothing to check
    expect(error).toBeInstanceOf(ScrmHttpError);
    expect((error as ScrmHttpError).bodySnippet).toContain('/openapi/contact/batch');
    expect(lines.some((line) => line.includes('contactBatch'))).toBe(true);
    expect(lines.some((line) => line.includes('token-refresh'))).toBe(true);
    const text = [
      String(error),
      (error as Error).stack,
      JSON.stringify(error),
      inspect(error, { depth: 6, showHidden: true }),
      ...lines,
    ].join('\n');
    expect(text).not.toContain(APP_SECRET);
    expect(text).not.toContain(token(1));
  });
});
