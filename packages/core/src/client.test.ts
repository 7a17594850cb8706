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
  auth: {
    type: 'static',
    credentials: { token: 'token', groupToken: 'groupToken' },
    default: 'token',
    inject: { in: 'query', name: 'token' },
  },
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
    'GET /bot/list': {
      id: 'groupBotList',
      idempotent: true,
      credential: { use: 'groupToken' },
      envelope: { code: 'code', message: 'message', success: [0] },
    },
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

  it("puts an operation's own credential in the body, goes to its own host and reads its own envelope", async () => {
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

  it("keeps one generated request id across retries, and keeps the caller's own", async () => {
    let n = 0;
    const fetch = createFakeFetch(() => (++n === 1 ? { code: -1, message: 'busy' } : { code: 0 }));
    const api = make(fetch, { token: 't-0001', groupToken: 'g-0001' });
    await api.POST('/message/send', { body: { chatId: 'c1' } });
    const ids = fetch.calls.map((c) => (c.body as { externalRequestId: string }).externalRequestId);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
    await api.POST('/message/send', { body: { chatId: 'c1', externalRequestId: 'mine-1' } });
    expect((fetch.calls.at(-1)!.body as { externalRequestId: string }).externalRequestId).toBe('mine-1');
  });

  it('goes to baseUrl for every operation when one is set (sandbox)', async () => {
    const fetch = createFakeFetch(() => ({ code: 0 }));
    await make(fetch, { token: 't-0001', groupToken: 'g-0001' }, { baseUrl: 'http://127.0.0.1:9/demo' }).POST('/message/send', {
      body: {},
    });
    expect(fetch.calls[0]?.url.href).toBe('http://127.0.0.1:9/demo/message/send');
  });

  it('requires the default credential up front and the others when used', async () => {
    expect(() =>
      make(
        createFakeFetch(() => ({})),
        {},
      ),
    ).toThrow(ScrmConfigError);
    expect(() =>
      make(
        createFakeFetch(() => ({})),
        { token: 't', groupToken: '' },
      ),
    ).toThrow(/groupToken/);
    const api = make(
      createFakeFetch(() => ({ code: 0 })),
      { token: 't-0001' },
    );
    await expect(api.GET('/bot/list')).rejects.toThrow(/groupBotList needs the `groupToken` option/);
  });
});

describe('vendor quirks driven by the profile', () => {
  const quirky: VendorProfile = {
    vendor: 'quirky',
    baseUrl: 'https://api.quirky.invalid',
    envelope: { code: 'Code', message: 'Msg', success: [2000, 0] },
    auth: {
      type: 'static',
      credentials: { apiKey: 'apiKey', marketingApiKey: 'marketingApiKey' },
      default: 'apiKey',
      inject: { in: 'query', name: 'apiKey' },
    },
    errorActions: {},
    operations: {
      'GET /check': { id: 'check', idempotent: true, envelope: { code: '', message: '', success: [], none: true } },
      'GET /ai/list': { id: 'aiList', idempotent: true, credential: { use: 'marketingApiKey', fallback: 'apiKey' } },
    },
    secretParams: ['apiKey'],
    httpErrors: { '402': { name: 'API请求次数不足', action: 'fail' }, '429': { name: 'Too Many Requests', action: 'throttle' } },
  };
  const quirkyClient = (fetch: typeof globalThis.fetch, credentials: Record<string, string>) =>
    createScrmClient<Paths, {}>(quirky, credentials, { fetch, retry: { baseDelayMs: 1, throttleDelayMs: 1 } }) as unknown as {
      GET(path: string, init?: unknown): Promise<{ data?: any; error?: any }>;
    };

  it('accepts an answer outside the envelope where the operation says so', async () => {
    const { data, error } = await quirkyClient(
      createFakeFetch(() => ({ success: true })),
      { apiKey: 'k-0001' },
    ).GET('/check');
    expect(error).toBeUndefined();
    expect(data).toEqual({ success: true });
  });

  it('treats every listed success code as success, string or number', async () => {
    for (const Code of [2000, 0, '2000']) {
      const { error } = await quirkyClient(
        createFakeFetch(() => ({ Code, Data: [] })),
        { apiKey: 'k-0001' },
      ).GET('/ai/list');
      expect(error, String(Code)).toBeUndefined();
    }
    const { error } = await quirkyClient(
      createFakeFetch(() => ({ Code: 4000, Msg: '失败' })),
      { apiKey: 'k-0001' },
    ).GET('/ai/list');
    expect(error).toEqual({ Code: 4000, Msg: '失败' });
  });

  it("falls back to the default credential when the operation's own one is not configured", async () => {
    const fetch = createFakeFetch(() => ({ Code: 2000 }));
    await quirkyClient(fetch, { apiKey: 'assistant-key' }).GET('/ai/list');
    await quirkyClient(fetch, { apiKey: 'assistant-key', marketingApiKey: 'marketing-key' }).GET('/ai/list');
    expect(fetch.calls.map((c) => c.query.apiKey)).toEqual(['assistant-key', 'marketing-key']);
  });

  it('maps documented HTTP statuses to typed errors with their action', async () => {
    const quota = await quirkyClient(
      createFakeFetch(() => new Response('quota', { status: 402 })),
      { apiKey: 'k-0001' },
    )
      .GET('/ai/list')
      .catch((e: unknown) => e);
    expect(quota).toMatchObject({ name: 'ScrmHttpError', status: 402, vendorName: 'API请求次数不足', action: 'fail', retryable: false });
    let n = 0;
    const fetch = createFakeFetch(() => (++n === 1 ? new Response('Too Many Requests in one second', { status: 429 }) : { Code: 2000 }));
    const { error } = await quirkyClient(fetch, { apiKey: 'k-0001' }).GET('/ai/list');
    expect(error).toBeUndefined();
    expect(fetch.calls).toHaveLength(2);
  });
});

describe('token endpoints without a lifetime', () => {
  const nested: VendorProfile = {
    vendor: 'nested',
    baseUrl: 'https://api.nested.invalid',
    envelope: { code: 'code', message: 'msg', success: [0] },
    auth: {
      type: 'token-endpoint',
      method: 'GET',
      path: '/auth/token',
      operationId: 'getAccessToken',
      credentialsIn: 'query',
      credentials: { app_id: 'appId', app_secret: 'appSecret' },
      secrets: ['app_secret'],
      token: { field: 'data.access_token', defaultTtlSeconds: 7200 },
      inject: { in: 'query', name: 'access_token' },
      refreshOn: [1007],
    },
    errorActions: { '1007': 'refresh-token' },
    operations: {
      'GET /auth/token': { id: 'getAccessToken', idempotent: true, authenticated: false },
      'GET /x': { id: 'x', idempotent: true },
    },
    secretParams: ['access_token', 'app_secret'],
  };

  it("reads a nested token, uses the configured lifetime and refreshes on the vendor's auth code", async () => {
    let issued = 0;
    let rejectFirst = true;
    const fetch = createFakeFetch((call) => {
      if (call.path === '/auth/token') return { code: '0', msg: 'success', data: { access_token: `tok-${++issued}` } };
      if (rejectFirst && call.query.access_token === 'tok-1') {
        rejectFirst = false;
        return { code: 1007, msg: 'illegal access' };
      }
      return { code: 0, data: {} };
    });
    const api = createScrmClient<Paths, {}>(
      nested,
      { appId: 'wl1', appSecret: 's3cret-value' },
      { fetch, tokenTtlSeconds: 60 },
    ) as unknown as {
      GET(path: string): Promise<{ data?: unknown; error?: unknown }>;
    };
    const { error } = await api.GET('/x');
    expect(error).toBeUndefined();
    expect(fetch.calls.map((c) => `${c.path}${c.query.access_token ? ` ${c.query.access_token}` : ''}`)).toEqual([
      '/auth/token',
      '/x tok-1',
      '/auth/token',
      '/x tok-2',
    ]);
    expect(fetch.calls[0]?.query).toEqual({ app_id: 'wl1', app_secret: 's3cret-value' });
    expect(() => createScrmClient(nested, { appId: 'wl1', appSecret: 's' }, { tokenTtlSeconds: -1 })).toThrow(ScrmConfigError);
  });
});

type Middleware = {
  onRequest?: (o: { request: Request }) => Request | undefined;
  onResponse?: (o: { response: Response }) => Response | undefined;
};
const withMiddleware = (fetch: typeof globalThis.fetch, credentials: Record<string, string>) =>
  createScrmClient<Paths, {}>(profile, credentials, { fetch, retry: { baseDelayMs: 1 } }) as unknown as {
    GET(path: string, init?: unknown): Promise<{ data?: any; error?: any; response: Response }>;
    POST(path: string, init?: unknown): Promise<{ data?: any; error?: any; response: Response }>;
    use(...m: Middleware[]): void;
    eject(...m: Middleware[]): void;
  };

describe('the fast path and what it must not change', () => {
  it('returns the parsed body as data, and text when the caller asks for parseAs: text', async () => {
    const fetch = createFakeFetch(() => ({ errcode: 0, items: [1, 2] }));
    const api = withMiddleware(fetch, { token: 'T-enterprise-0001' });
    expect((await api.GET('/api/list')).data).toEqual({ errcode: 0, items: [1, 2] });
    const asText = await api.GET('/api/list', { parseAs: 'text' });
    expect(asText.data).toBe('{"errcode":0,"items":[1,2]}');
    expect(asText.response.status).toBe(200);
  });

  it('gives middlewares real Request and Response objects, and their changes stick; eject restores the fast path', async () => {
    const fetch = createFakeFetch((call) => ({ errcode: 0, traced: call.headers.get('x-trace') }));
    const api = withMiddleware(fetch, { token: 'T-enterprise-0001' });
    const seen: unknown[] = [];
    const trace: Middleware = {
      onRequest: ({ request }) => {
        seen.push(request);
        request.headers.set('x-trace', 'abc');
        return undefined;
      },
      onResponse: ({ response }) =>
        new Response(JSON.stringify({ errcode: 0, replaced: true }), { status: 200, headers: response.headers }),
    };
    api.use(trace);
    const { data } = await api.GET('/api/list');
    expect(seen[0]).toBeInstanceOf(Request);
    expect(fetch.calls[0]?.headers.get('x-trace')).toBe('abc');
    expect(data).toEqual({ errcode: 0, replaced: true });
    api.eject(trace);
    expect((await api.GET('/api/list')).data).toEqual({ errcode: 0, traced: null });
    expect(seen).toHaveLength(1);
  });

  it('replaces a credential the caller also put in the query instead of sending it twice', async () => {
    const fetch = createFakeFetch(() => ({ errcode: 0 }));
    await make(fetch, { token: 'T-enterprise-0001' }).GET('/api/list', { params: { query: { token: 'stale', page: 2 } } });
    expect(fetch.calls[0]?.url.searchParams.getAll('token')).toEqual(['T-enterprise-0001']);
    expect(fetch.calls[0]?.query).toEqual({ token: 'T-enterprise-0001', page: '2' });
  });
});

describe('hostile envelopes', () => {
  it('turns a code or message that cannot become a string into a typed API error, not a TypeError', async () => {
    const hostile = '{"toString":null}';
    const fetch = createFakeFetch(
      () => new Response(`{"errcode":${hostile},"errmsg":${hostile}}`, { headers: { 'content-type': 'application/json' } }),
    );
    const { error } = await make(fetch, { token: 'T-enterprise-0001' }, { retry: false }).GET('/api/list');
    expect(error).toMatchObject({ errcode: { toString: null } });
  });
});
