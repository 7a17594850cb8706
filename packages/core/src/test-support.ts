// A small made-up vendor for core's own transport tests (not built, not published): a token endpoint like
// WeCom's gettoken, an envelope with a result code, a read, a POST read marked idempotent, and a write.
import { createScrmClient, type ScrmClientOptions } from './client.js';
import type { VendorProfile } from './profile.js';
import { createFakeFetch, type FakeHandler } from './testing.js';

export const APP_ID = 'acme-app-0001';
export const APP_SECRET = 'acme-SECRET-value-do-not-leak-0001';
export const tokenValue = (n: number) => `ACME-TOKEN-value-do-not-leak-${String(n).padStart(4, '0')}`;

export const TOKEN_PATH = '/auth/token';
export const LIST = '/v1/items';
export const GET_ONE = '/v1/items/get';
export const CREATE = '/v1/items/create';

export const acmeProfile: VendorProfile = {
  vendor: 'acme',
  baseUrl: 'https://api.acme.invalid',
  envelope: { code: 'code', message: 'msg', success: [0] },
  auth: {
    type: 'token-endpoint',
    method: 'GET',
    path: TOKEN_PATH,
    operationId: 'getToken',
    credentialsIn: 'query',
    credentials: { app_id: 'appId', app_secret: 'appSecret' },
    secrets: ['app_secret'],
    token: { field: 'access_token', expiresIn: 'expires_in', defaultTtlSeconds: 7200 },
    inject: { in: 'query', name: 'access_token' },
    refreshOn: [40014, 42001],
  },
  errorActions: { '-1': 'retry', '45009': 'throttle', '40014': 'refresh-token', '42001': 'refresh-token' },
  operations: {
    [`GET ${TOKEN_PATH}`]: { id: 'getToken', idempotent: true, authenticated: false },
    [`GET ${LIST}`]: { id: 'listItems', idempotent: true },
    [`POST ${GET_ONE}`]: { id: 'getItem', idempotent: true },
    [`POST ${CREATE}`]: { id: 'createItem', idempotent: false },
  },
  secretParams: ['app_secret', 'access_token'],
};

/** A fake Acme: answers the token endpoint with numbered tokens and everything else through `business`. */
export function fakeAcme(business: FakeHandler) {
  let issued = 0;
  const fetch = createFakeFetch((call, index) => {
    if (call.path === TOKEN_PATH) return { code: 0, access_token: tokenValue(++issued), expires_in: 7200 };
    return business(call, index);
  });
  return {
    fetch,
    tokenCalls: () => fetch.calls.filter((c) => c.path === TOKEN_PATH).length,
    businessCalls: () => fetch.calls.filter((c) => c.path !== TOKEN_PATH),
  };
}

type Result = { data?: any; error?: any; response: Response };
export interface AcmeClient {
  GET(path: string, init?: Record<string, unknown>): Promise<Result>;
  POST(path: string, init?: Record<string, unknown>): Promise<Result>;
  use(...middlewares: object[]): void;
}

export function acmeClient(fetch: typeof globalThis.fetch, extra: ScrmClientOptions = {}): AcmeClient {
  return createScrmClient(
    acmeProfile,
    { appId: APP_ID, appSecret: APP_SECRET },
    {
      fetch,
      retry: { baseDelayMs: 1, maxDelayMs: 4, throttleDelayMs: 2 },
      ...extra,
    },
  ) as unknown as AcmeClient;
}

export const ok = (extra: Record<string, unknown> = {}) => ({ code: 0, msg: 'ok', ...extra });

/**
 * A made-up vendor with one static key sent in the query (`?key=…`), an envelope with a result code, and no
 * operations: tests pass what they are about (their operations, error actions, limits …) as overrides.
 */
export function staticKeyProfile(overrides: Partial<VendorProfile> = {}): VendorProfile {
  return {
    vendor: 'demo',
    baseUrl: 'https://api.demo.invalid',
    envelope: { code: 'code', message: 'msg', success: [0] },
    auth: { type: 'static', credentials: { key: 'key' }, default: 'key', inject: { in: 'query', name: 'key' } },
    errorActions: {},
    operations: {},
    secretParams: ['key'],
    ...overrides,
  };
}
