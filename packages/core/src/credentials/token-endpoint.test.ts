// The token-endpoint strategy as a user meets it: how the token request goes out (query or JSON body), how long a
// token is kept (the vendor's lifetime, else the configured or documented one), where it is stored (keyed by the
// public id, never by a secret), and the errors when the endpoint answers without a token.
import { describe, expect, it } from 'vitest';
import { createScrmClient, type ScrmClientOptions } from '../client.js';
import { ScrmApiError, ScrmParseError } from '../errors.js';
import type { ScrmEvent } from '../logger.js';
import type { TokenEndpointAuth, VendorProfile } from '../profile.js';
import { createFakeFetch, everythingIn, type FakeHandler } from '../testing.js';
import type { StoredToken, TokenStore } from '../token.js';
import { unwrap } from '../unwrap.js';

const SECRET = 'wl-SECRET-value-do-not-leak-0001';
const auth = (extra: Partial<TokenEndpointAuth> = {}): TokenEndpointAuth => ({
  type: 'token-endpoint',
  method: 'POST',
  path: '/auth/token',
  operationId: 'getAccessToken',
  credentialsIn: 'body',
  credentials: { app_id: 'appId', app_secret: 'appSecret' },
  secrets: ['app_secret'],
  token: { field: 'data.token', expiresIn: 'data.ttl', defaultTtlSeconds: 7200 },
  inject: { in: 'query', name: 'access_token' },
  refreshOn: [1007],
  ...extra,
});
// the token endpoint is deliberately not among the operations: the strategy must still treat it as idempotent
const profileWith = (a: TokenEndpointAuth): VendorProfile => ({
  vendor: 'wl',
  baseUrl: 'https://api.wl.invalid/open',
  envelope: { code: 'code', message: 'msg', success: [0] },
  auth: a,
  errorActions: {},
  operations: { 'GET /x': { id: 'x', idempotent: true } },
  secretParams: ['access_token'],
});

/** A token store that remembers what was stored, under which key. */
class RecordingTokenStore implements TokenStore {
  readonly stored = new Map<string, StoredToken>();
  async get(key: string) {
    return this.stored.get(key);
  }
  async set(key: string, token: StoredToken) {
    this.stored.set(key, token);
  }
  async delete(key: string) {
    this.stored.delete(key);
  }
}

type Api = { GET(path: string): Promise<{ data?: unknown; error?: unknown }> };
function setup(handler: FakeHandler, a: TokenEndpointAuth = auth(), options: ScrmClientOptions = {}) {
  const fetch = createFakeFetch(handler);
  const tokenStore = new RecordingTokenStore();
  const api = createScrmClient(
    profileWith(a),
    { appId: 'wl-app-1', appSecret: SECRET },
    { fetch, tokenStore, retry: { baseDelayMs: 1 }, ...options },
  ) as unknown as Api;
  return { api, fetch, tokenStore };
}
const tokenAnswer =
  (data: Record<string, unknown>): FakeHandler =>
  (call) =>
    call.path.endsWith('/auth/token') ? { code: 0, data } : { code: 0 };

describe('the token request', () => {
  it('sends the credentials as a JSON body when the profile says so, to the path under baseUrl', async () => {
    const { api, fetch } = setup(tokenAnswer({ token: 'tok-1', ttl: 600 }));
    await api.GET('/x');
    const call = fetch.calls[0]!;
    expect(call.method).toBe('POST');
    expect(call.url.href).toBe('https://api.wl.invalid/open/auth/token');
    expect(call.body).toEqual({ app_id: 'wl-app-1', app_secret: SECRET });
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.headers.get('accept')).toBe('application/json');
    expect(fetch.calls[1]?.query).toEqual({ access_token: 'tok-1' });
  });

  it('sends them in the query of a bodiless request otherwise', async () => {
    const { api, fetch } = setup(tokenAnswer({ token: 'tok-1' }), auth({ method: 'GET', credentialsIn: 'query' }));
    await api.GET('/x');
    const call = fetch.calls[0]!;
    expect(call.method).toBe('GET');
    expect(call.query).toEqual({ app_id: 'wl-app-1', app_secret: SECRET });
    expect(call.body).toBeUndefined();
    expect(call.headers.get('accept')).toBe('application/json');
  });

  it('retries a token request that failed with a 503, as an idempotent operation named by the profile', async () => {
    let n = 0;
    const events: ScrmEvent[] = [];
    const { api, fetch } = setup(
      (call) =>
        call.path.endsWith('/auth/token')
          ? ++n === 1
            ? new Response('', { status: 503 })
            : { code: 0, data: { token: 'tok-1' } }
          : { code: 0 },
      auth(),
      { onEvent: (e) => events.push(e) },
    );
    expect((await api.GET('/x')).error).toBeUndefined();
    expect(fetch.calls.map((c) => c.path)).toEqual(['/open/auth/token', '/open/auth/token', '/open/x']);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({
      operation: 'getAccessToken',
      method: 'POST',
      path: '/auth/token',
      reason: 'HTTP 503',
    });
  });
});

describe('how long a token is kept, and where', () => {
  const stored = async (data: Record<string, unknown>, options: ScrmClientOptions = {}, a = auth()) => {
    const { api, tokenStore } = setup(tokenAnswer(data), a, options);
    const before = Date.now();
    await api.GET('/x');
    const [entry] = [...tokenStore.stored.entries()];
    return {
      key: entry![0],
      value: entry![1].value,
      lifetimeS: Math.round((entry![1].expiresAt - before) / 1000),
      marginMs: entry![1].expiresAt - entry![1].refreshAt!,
    };
  };

  it('keeps a token for the lifetime the vendor gives', async () => {
    expect(await stored({ token: 'tok-1', ttl: 600 })).toMatchObject({ value: 'tok-1', lifetimeS: 600 });
    expect(await stored({ token: 'tok-1', ttl: '900' })).toMatchObject({ lifetimeS: 900 });
  });

  it('falls back to tokenTtlSeconds, else the documented lifetime, when the vendor gives none or a useless one', async () => {
    for (const ttl of [undefined, 0, -5, 'soon', null]) {
      expect((await stored({ token: 'tok-1', ttl })).lifetimeS, String(ttl)).toBe(7200);
      expect((await stored({ token: 'tok-1', ttl }, { tokenTtlSeconds: 60 })).lifetimeS, String(ttl)).toBe(60);
    }
    // a profile without a lifetime field never reads one
    const noField = auth({ token: { field: 'data.token', defaultTtlSeconds: 3600 } });
    expect((await stored({ token: 'tok-1', ttl: 600 }, {}, noField)).lifetimeS).toBe(3600);
  });

  it('refreshes it tokenRefreshMarginMs before it expires, five minutes by default', async () => {
    expect((await stored({ token: 'tok-1', ttl: 7200 })).marginMs).toBe(300_000);
    expect((await stored({ token: 'tok-1', ttl: 7200 }, { tokenRefreshMarginMs: 60_000 })).marginMs).toBe(60_000);
  });

  it('stores it under the public id and a fingerprint, never the secret', async () => {
    const { key } = await stored({ token: 'tok-1' });
    expect(key).toMatch(/^scrm:wl:token:wl-app-1:[0-9a-f]{16}$/);
    expect(key).not.toContain(SECRET);
    // another secret for the same app id (here: the app id option read as the secret too) is another key
    const twin = await stored({ token: 'tok-1' }, {}, auth({ credentials: { app_id: 'appId', app_secret: 'appId' } }));
    expect(twin.key).toMatch(/^scrm:wl:token:wl-app-1:/);
    expect(twin.key).not.toBe(key);
  });

  it('keys by secrets alone when every credential is secret', async () => {
    const allSecret = auth({ secrets: ['app_id', 'app_secret'] });
    const { key } = await stored({ token: 'tok-1' }, {}, allSecret);
    expect(key).toMatch(/^scrm:wl:token::[0-9a-f]{16}$/);
  });
});

describe('token endpoint answers without a token', () => {
  it('throws a parse error naming the token operation when the token is missing or empty', async () => {
    for (const data of [{}, { token: '' }, { token: 42 }]) {
      const { api, fetch } = setup(tokenAnswer(data));
      const error = await api.GET('/x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScrmParseError);
      expect(error).toMatchObject({
        vendor: 'wl',
        operation: 'getAccessToken',
        method: 'POST',
        path: '/auth/token',
        kind: 'envelope',
        status: 200,
        retryable: false,
        bodySnippet: '',
      });
      expect((error as ScrmParseError).contentType).toMatch(/^application\/json/);
      expect(fetch.calls.map((c) => c.path)).toEqual(['/open/auth/token']);
    }
  });

  it('keeps the secret out of the error when the endpoint refuses it', async () => {
    const { api } = setup((call) => ({ code: 40001, msg: `bad secret ${(call.body as { app_secret: string }).app_secret}` }));
    const error = await api.GET('/x').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 40001, operation: 'getAccessToken' });
    expect(everythingIn(error)).not.toContain(SECRET);
  });

  it('redacts a token it was given wherever it shows up later', async () => {
    const { api } = setup((call) =>
      call.path.endsWith('/auth/token') ? { code: 0, data: { token: 'tok-VALUE-0001' } } : { code: 5, msg: 'token tok-VALUE-0001 is odd' },
    );
    const result = await api.GET('/x');
    let thrown: unknown;
    try {
      unwrap(result as { error?: unknown; response: Response });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScrmApiError);
    expect(everythingIn(thrown)).not.toContain('tok-VALUE-0001');
  });
});
