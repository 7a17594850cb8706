import { describe, expect, expectTypeOf, it } from 'vitest';
import { captureLogger, createFakeFetch, everythingIn, jsonResponse } from '@scrm-openapi/core/testing';
import type { ScrmEvent } from '@scrm-openapi/core';
import { createJuzibotClient, ScrmApiError, ScrmConfigError, ScrmError, unwrap, type JuzibotClientOptions } from './index.js';

const TOKEN = 'enterprise-TOKEN-do-not-leak-0001';
const GROUP_TOKEN = 'group-TOKEN-do-not-leak-0002';

/** The error `unwrap()` throws for `result`; fails the test when it returns instead. */
function unwrapError(result: Parameters<typeof unwrap>[0]): unknown {
  try {
    unwrap(result);
  } catch (error) {
    return error;
  }
  throw new Error('unwrap() returned instead of throwing');
}

function juzibot(handler: Parameters<typeof createFakeFetch>[0], extra: Partial<JuzibotClientOptions> = {}) {
  const fetch = createFakeFetch(handler);
  const client = createJuzibotClient({ token: TOKEN, groupToken: GROUP_TOKEN, fetch, retry: { baseDelayMs: 1 }, ...extra });
  return { fetch, client };
}

describe('createJuzibotClient', () => {
  it('sends the enterprise token in the query of hub calls, to the hub host', async () => {
    const { fetch, client } = juzibot(() => ({ errcode: 0, errmsg: 'ok', data: [], total: 0 }));
    await client.GET('/api/v1/tag/list');
    expect(fetch.calls[0]?.url.origin).toBe('https://hub.juzibot.com');
    expect(fetch.calls[0]?.query).toMatchObject({ token: TOKEN });
  });

  it('sends group-level calls to the group-level host with the group token', async () => {
    const { fetch, client } = juzibot(() => ({ code: 0, data: [] }));
    await client.GET('/bot/list');
    expect(fetch.calls[0]?.url.origin).toBe('https://ex-api.botorange.com');
    expect(fetch.calls[0]?.query).toEqual({ token: GROUP_TOKEN });
  });

  it('puts the group token in the body of group-level message/send, not in the query', async () => {
    const { fetch, client } = juzibot(() => ({ code: 0, data: {} }));
    await client.POST('/message/send', { body: { chatId: '5f5b0c6d7e8f9a0b1c2d3e4f', messageType: 0, payload: { text: '你好' } } });
    const call = fetch.calls[0]!;
    expect(call.query).toEqual({});
    expect(call.body).toMatchObject({ chatId: '5f5b0c6d7e8f9a0b1c2d3e4f', token: GROUP_TOKEN });
  });

  it('uses baseUrl (the sandbox) for both families', async () => {
    const { fetch, client } = juzibot(() => ({ code: 0, errcode: 0, data: [] }), { baseUrl: 'http://127.0.0.1:4010/juzibot' });
    await client.GET('/bot/list');
    await client.GET('/api/v1/tag/list');
    expect(fetch.calls.map((c) => c.url.origin + c.path)).toEqual([
      'http://127.0.0.1:4010/juzibot/bot/list',
      'http://127.0.0.1:4010/juzibot/api/v1/tag/list',
    ]);
  });

  it('asks for groupToken only when a group-level operation is called', async () => {
    const fetch = createFakeFetch(() => ({ errcode: 0 }));
    const client = createJuzibotClient({ token: TOKEN, fetch });
    await expect(client.GET('/bot/list')).rejects.toThrow(ScrmConfigError);
    await expect(client.GET('/bot/list')).rejects.toThrow(/groupToken/);
    expect(() => createJuzibotClient({ token: '' })).toThrow(/`token` is required/);
  });
});

describe('envelopes', () => {
  it('turns a hub errcode into the typed error', async () => {
    const { client } = juzibot(() => ({ errcode: -2, errmsg: 'no bot for this botUserId' }));
    const result = await client.GET('/api/v1/instantReply/getChatId', {
      params: { query: { botUserId: 'zhangsan', contactWxid: '7881301204958266' } },
    } as never);
    expect(result.error).toEqual({ errcode: -2, errmsg: 'no bot for this botUserId' });
    expect(result.data).toBeUndefined();
    const error = unwrapError(result);
    expect(error).toBeInstanceOf(ScrmApiError);
    expect(error).toMatchObject({ code: -2, vendorMessage: 'no bot for this botUserId', vendor: 'juzibot' });
  });

  it('detects a body error in the {code, data} envelope of the group-level host', async () => {
    const { client } = juzibot(() => ({ code: 40001, message: 'chat not found' }));
    const result = await client.GET('/bot/list');
    expect(result.error).toMatchObject({ code: 40001 });
    const error = unwrapError(result);
    expect(error).toBeInstanceOf(ScrmApiError);
    expect(error).toMatchObject({ code: 40001, vendor: 'juzibot', operation: 'groupBotList' });
  });

  it('detects a body error in weChatExpiredInfo ({code, data} on the hub host)', async () => {
    const { fetch, client } = juzibot(() => ({ code: 1, message: 'invalid token' }));
    const { error } = await client.GET('/api/v1/bot/weChatExpiredInfo', {} as never);
    expect(error).toMatchObject({ code: 1 });
    expect(fetch.calls[0]?.url.origin).toBe('https://hub.juzibot.com');
    expect(fetch.calls[0]?.query.token).toBe(GROUP_TOKEN);
  });

  it('types both envelopes', () => {
    const { client } = juzibot(() => ({}));
    const hub = () => client.GET('/api/v1/tag/list');
    const group = () => client.GET('/bot/list');
    expectTypeOf<NonNullable<Awaited<ReturnType<typeof hub>>['error']>['errcode']>().toEqualTypeOf<number>();
    expectTypeOf<NonNullable<Awaited<ReturnType<typeof group>>['error']>['code']>().toEqualTypeOf<number>();
  });
});

describe('message/send', () => {
  const body = { imBotId: '1688853462929494', imContactId: '7881301204958266', messageType: 7, payload: { text: '您好' } } as const;

  it('generates an externalRequestId when none is given and keeps it across a retried send', async () => {
    let n = 0;
    const events: ScrmEvent[] = [];
    const { fetch, client } = juzibot(
      () => (++n === 1 ? new Response('upstream', { status: 503 }) : { errcode: 0, errmsg: 'ok', requestId: 'r-1' }),
      {
        onEvent: (e) => events.push(e),
      },
    );
    const { data } = await client.POST('/api/v2/message/send', { body: body as never });
    expect(data).toMatchObject({ requestId: 'r-1' });
    const ids = fetch.calls.map((c) => (c.body as { externalRequestId?: string }).externalRequestId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
  });

  it("keeps the caller's own externalRequestId", async () => {
    const { fetch, client } = juzibot(() => ({ errcode: 0 }));
    await client.POST('/api/v2/message/send', { body: { ...body, externalRequestId: 'order-1' } as never });
    expect((fetch.calls[0]!.body as { externalRequestId: string }).externalRequestId).toBe('order-1');
  });
});

describe('paginate()', () => {
  it('walks page-number paging (current / pageSize / total): channel/list', async () => {
    const { fetch, client } = juzibot((call) => {
      const current = Number(call.query.current ?? 1);
      const all = ['s1', 's2', 's3'];
      const size = Number(call.query.pageSize ?? 2);
      return {
        errcode: 0,
        errmsg: 'ok',
        total: all.length,
        data: all.slice((current - 1) * size, current * size).map((state) => ({ state })),
      };
    });
    const states = (await client.paginate('/api/v1/channel/list', undefined, { pageSize: 2 }).toArray()).map((c) => c.state);
    expect(states).toEqual(['s1', 's2', 's3']);
    expect(fetch.calls.map((c) => c.query.current)).toEqual([undefined, '2']);
  });

  it('walks the cursor paging of contactWay/list', async () => {
    const { fetch, client } = juzibot((call) =>
      (call.body as { cursor?: string }).cursor === 'c2'
        ? { errcode: 0, contact_way: [{ config_id: 'b' }], next_cursor: '' }
        : { errcode: 0, contact_way: [{ config_id: 'a' }], next_cursor: 'c2' },
    );
    const ids = (await client.paginate('/api/v1/contactWay/list').toArray()).map((w) => w.config_id);
    expect(ids).toEqual(['a', 'b']);
    expect(fetch.calls).toHaveLength(2);
  });
});

describe('no token in errors or logs', () => {
  it.each([
    ['a vendor error echoing the URL', (url: string) => ({ errcode: 500, errmsg: `failed for ${url}` })],
    ['an HTTP 500 page echoing the URL', (url: string) => new Response(`<html>${url}</html>`, { status: 500 })],
    ['malformed JSON echoing the body token', () => new Response(`{"token":"${GROUP_TOKEN}"`, { status: 200 })],
    ['a 429 plain-text answer', () => new Response('Too Many Requests', { status: 429 })],
  ])('%s', async (_name, answer) => {
    const logger = captureLogger();
    const { lines } = logger;
    const { client } = juzibot((call) => answer(call.url.href) as never, { retry: false, logger });
    for (const call of [
      () => client.GET('/api/v1/tag/list').then(unwrap),
      () => client.POST('/message/send', { body: { chatId: 'c', messageType: 0, payload: { text: 'x' } } } as never).then(unwrap),
    ]) {
      // both calls must fail: an error that is not thrown cannot be checked
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ScrmError);
      const text = everythingIn(error);
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(GROUP_TOKEN);
    }
    // a request and a response line per call
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(GROUP_TOKEN);
  });
});

void jsonResponse;
