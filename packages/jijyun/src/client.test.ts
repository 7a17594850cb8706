import { describe, expect, it } from 'vitest';
import { captureLogger, createFakeFetch, everythingIn } from '@scrm-openapi/core/testing';
import { createJijyunClient, ScrmApiError, ScrmHttpError, unwrap, type JijyunClientOptions } from './index.js';

const API_KEY = 'assistantKEYdonotleak00001711016924';
const MARKETING_KEY = 'marketingKEYdonotleak0001745205533';

function jijyun(handler: Parameters<typeof createFakeFetch>[0], extra: Partial<JijyunClientOptions> = {}) {
  const fetch = createFakeFetch(handler);
  return {
    fetch,
    client: createJijyunClient({
      apiKey: API_KEY,
      marketingApiKey: MARKETING_KEY,
      fetch,
      retry: { baseDelayMs: 1, throttleDelayMs: 1 },
      ...extra,
    }),
  };
}

describe('createJijyunClient', () => {
  it('sends the assistant key on /v1/openapi and the marketing key on /v1/api/ai', async () => {
    const { fetch, client } = jijyun(() => ({ Code: 2000, Data: {}, Msg: '成功' }));
    await client.GET('/v1/openapi/balance');
    await client.GET('/v1/api/ai/marketing/bot/list');
    expect(fetch.calls.map((c) => c.query.apiKey)).toEqual([API_KEY, MARKETING_KEY]);
  });

  it('falls back to the assistant key for the marketing family when no marketing key is given', async () => {
    const { fetch, client } = jijyun(() => ({ Code: 2000, Data: [] }), { marketingApiKey: undefined });
    await client.GET('/v1/api/ai/marketing/bot/list');
    expect(fetch.calls[0]?.query.apiKey).toBe(API_KEY);
  });

  it('accepts Code 2000 and the placeholder 0 as success, and returns Code 4000 as the typed error', async () => {
    for (const Code of [2000, 0]) {
      const { client } = jijyun(() => ({ Code, Data: { balance: 10 }, Msg: '成功' }));
      expect((await client.GET('/v1/openapi/balance')).error).toBeUndefined();
    }
    const { client } = jijyun(() => ({ Code: 4000, Data: '余额不足', Msg: '失败' }));
    const result = await client.GET('/v1/openapi/balance');
    expect(result.error).toMatchObject({ Code: 4000 });
    expect(() => unwrap(result)).toThrow(ScrmApiError);
  });

  it('types /v1/openapi/check, which answers outside the envelope', async () => {
    const { client } = jijyun(() => ({ success: true }));
    const { data, error } = await client.GET('/v1/openapi/check');
    expect(error).toBeUndefined();
    expect(data).toEqual({ success: true });
  });

  it.each([
    [401, '没有权限', 'fail'],
    [402, 'API请求次数不足', 'fail'],
  ])('maps HTTP %i to a typed error (%s, %s) without retrying', async (status, vendorName, action) => {
    const { fetch, client } = jijyun(() => new Response('{}', { status }));
    const error = await client.GET('/v1/openapi/balance').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrmHttpError);
    expect(error).toMatchObject({ status, vendorName, action, retryable: false });
    expect(fetch.calls).toHaveLength(1);
  });

  it('backs off and retries a read on HTTP 429 (per-second limit)', async () => {
    let n = 0;
    const { fetch, client } = jijyun(() =>
      ++n === 1 ? new Response('Too Many Requests in one second', { status: 429 }) : { Code: 2000, Data: {} },
    );
    expect((await client.GET('/v1/openapi/balance')).error).toBeUndefined();
    expect(fetch.calls).toHaveLength(2);
  });

  it('pages room/list with current from 0 and pageSize', async () => {
    const rooms = ['R:1', 'R:2', 'R:3'];
    const { fetch, client } = jijyun((call) => {
      const current = Number(call.query.current ?? 0);
      const size = Number(call.query.pageSize ?? 2);
      return {
        Code: 2000,
        Data: { total: rooms.length, data: rooms.slice(current * size, (current + 1) * size).map((imRoomId) => ({ imRoomId })) },
      };
    });
    const all = await client.paginate('/v1/api/ai/marketing/room/list', undefined, { pageSize: 2 }).toArray();
    expect(all.map((r) => r.imRoomId)).toEqual(rooms);
    expect(fetch.calls.map((c) => c.query.current)).toEqual([undefined, '1']);
  });

  it('never shows a key in errors or logs', async () => {
    const logger = captureLogger();
    const { lines } = logger;
    const { client } = jijyun((call) => new Response(`bad request ${call.url.href}`, { status: 400 }), { logger });
    for (const path of ['/v1/openapi/balance', '/v1/api/ai/marketing/bot/list'] as const) {
      const error = await client.GET(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      // the call must fail (an error that is not thrown cannot be checked), with the echo in its body snippet
      expect(error).toBeInstanceOf(ScrmHttpError);
      expect((error as ScrmHttpError).bodySnippet).toContain(path);
      const text = everythingIn(error);
      for (const key of [API_KEY, MARKETING_KEY]) expect(text).not.toContain(key);
    }
    // a request and a response line per call
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const key of [API_KEY, MARKETING_KEY]) expect(lines.join('\n')).not.toContain(key);
  });
});
