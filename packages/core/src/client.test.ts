import { describe, expect, it } from 'vitest';
import { createScrmClient } from './client.js';
import { ScrmConfigError } from './errors.js';
import type { VendorProfile } from './profile.js';
import { createFakeFetch } from './testing.js';

// A made-up vendor exercising what the WeCom tests do not: static credentials, a second credential sent in the
// body, per-operation envelopes and hosts, and generated request ids.
const profile: VendorProfile = {
  vendor: 'demo',
  baseUrl: 'https://hub.demo.invalid',
  envelope: { code: 'errcode', message: 'errmsg', success: [0] },
  auth: { type: 'static', credentials: { token: 'token', groupToken: 'groupToken' }, default: 'token', inject: { in: 'query', name: 'token' } },
  errorActions: { '-1': 'retry' },
  operations: {
    'GET /api/list': { id: 'list', idempotent: true },
    'POST /message/send': {
      id: 'groupMessageSend',
      idempotent: true,
      credential: { use: 'groupToken', in: 'body', name: 'token' },
      envelope: { code: 'code', message: 'message', success: [0] },
      server: 'https://group.demo.invalid',
      requestId: { in: 'body', param: 'externalRequestId' },
    },
    'GET /bot/list': { id: 'groupBotList', idempotent: true, credential: { use: 'groupToken' }, envelope: { code: 'code', message: 'message', success: [0] } },
  },
  secretParams: ['token'],
};

type Paths = Record<string, Record<string, unknown>>;
const make = (fetch: typeof globalThis.fetch, credentials: Record<string, string>, extra = {}) =>
  createScrmClient<Paths, {}>(profile, credentials, { fetch, retry: { baseDelayMs: 1 }, ...extra }) as unknown as {
    GET(path: string, init?: unknown): Promise<{ data?: any; error?: any }>;
    POST(path: string, init?: unknown): Promise<{ data?: any; error?: any }>;
  };

describe('static credentials', () => {
  it('sends the default credential in the query', async () => {
    const fetch = createFakeFetch(() => ({ errcode: 0, data: [] }));
    await make(fetch, { token: 'T-enterprise-0001' }).GET('/api/list');
    expect(fetch.calls[0]?.query).toEqual({ token: 'T-enterprise-0001' });
    expect(fetch.calls[0]?.url.origin).toBe('https://hub.demo.invalid');
  });

  it('puts an operation\'s own credential in the body, goes to its own host and reads its own envelope', async () => {
    const fetch = createFakeFetch(() => ({ code: 0, data: { requestId: 'r1' } }));
    const { data, error } = await make(fetch, { token: 'T-enterprise-0001', groupToken: 'G-group-0001' }).POST('/message/send', {
      body: { chatId: 'c1', messageType: 0, payload: { text: 'hi' } },
    });
    expect(error).toBeUndefined();
    expect(data).toEqual({ code: 0, data: { requestId: 'r1' } });
    const call = fetch.calls[0]!;
    expect(call.url.origin).toBe('https://group.demo.invalid');
    expect(call.query).toEqual({});
    expect(call.body).toMatchObject({ chatId: 'c1', token: 'G-group-0001' });
  });

  it('detects a body error in the per-operation envelope', async () => {
    const fetch = createFakeFetch(() => ({ code: 4001, message: 'bad chat' }));
    const { error } = await make(fetch, { token: 't-0001', groupToken: 'g-0001' }).GET('/bot/list');
    expect(error).toEqual({ code: 4001, message: 'bad chat' });
  });

  it('keeps one generated request id across retries, and keeps the caller\'s own', async () => {
    let n = 0;
    const fetch = createFakeFetch(() => (++n === 1 ? { code: -1, message: 'busy' } : { code: 0 }));
    const api = make(fetch, { token: 't-0001', groupToken: 'g-0001' });
    await api.POST('/message/send', { body: { chatId: 'c1' } });
    const ids = fetch.calls.map((c) => (c.body as { externalRequestId: string }).externalRequestId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    await api.POST('/message/send', { body: { chatId: 'c1', externalRequestId: 'mine-1' } });
    expect((fetch.calls.at(-1)?.body as { externalRequestId: string }).externalRequestId).toBe('mine-1');
  });

  it('goes to baseUrl for every operation when one is set (sandbox)', async () => {
    const fetch = createFakeFetch(() => ({ code: 0 }));
    await make(fetch, { token: 't-0001', groupToken: 'g-0001' }, { baseUrl: 'http://127.0.0.1:9/demo' }).POST('/message/send', { body: {} });
    expect(fetch.calls[0]?.url.href).toBe('http://127.0.0.1:9/demo/message/send');
  });

  it('requires the default credential up front and the others when used', async () => {
    expect(() => make(createFakeFetch(() => ({})), {})).toThrow(ScrmConfigError);
    expect(() => make(createFakeFetch(() => ({})), { token: 't', groupToken: '' })).toThrow(/groupToken/);
    const api = make(createFakeFetch(() => ({ code: 0 })), { token: 't-0001' });
    await expect(api.GET('/bot/list')).rejects.toThrow(/groupBotList needs the `groupToken` option/);
  });
});
