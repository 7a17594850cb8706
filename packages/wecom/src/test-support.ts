// Shared fixtures for this package's tests (not exported from the package).
import { createFakeFetch, jsonResponse, type FakeCall, type FakeHandler } from '@scrm-openapi/core/testing';
import { createWecomClient, type WecomClientOptions } from './index.js';

export { captureLogger, everythingIn } from '@scrm-openapi/core/testing';

export const CORP_ID = 'ww1234567890abcdef';
export const CORP_SECRET = 'corp-SECRET-value-do-not-leak-0001';
export const tokenValue = (n: number) => `ACCESS-TOKEN-value-do-not-leak-${String(n).padStart(4, '0')}`;

export const GETTOKEN = '/cgi-bin/gettoken';

/** A fake WeCom: answers gettoken with numbered tokens and everything else through `business`. */
export function fakeWecom(business: FakeHandler) {
  let issued = 0;
  const fetch = createFakeFetch((call, index) => {
    if (call.path.endsWith(GETTOKEN)) {
      issued++;
      return { errcode: 0, errmsg: 'ok', access_token: tokenValue(issued), expires_in: 7200 };
    }
    return business(call, index);
  });
  return {
    fetch,
    tokenCalls: () => fetch.calls.filter((c) => c.path.endsWith(GETTOKEN)).length,
    businessCalls: (path?: string) => fetch.calls.filter((c) => !c.path.endsWith(GETTOKEN) && (!path || c.path.endsWith(path))),
  };
}

export function client(fetch: typeof globalThis.fetch, extra: Partial<WecomClientOptions> = {}) {
  return createWecomClient({
    corpId: CORP_ID,
    corpSecret: CORP_SECRET,
    fetch,
    retry: { baseDelayMs: 1, maxDelayMs: 4, throttleDelayMs: 2 },
    ...extra,
  });
}

/**
 * `response` as a real `fetch` hands it back: with `url` set to the URL requested (query, credential and all). A
 * `new Response()` has an empty url, so without this a fake cannot show what a caller of the real fetch would see.
 */
export function asFetched(response: Response, url: URL | string, { configurable = true } = {}): Response {
  Object.defineProperty(response, 'url', { value: String(url), configurable });
  return response;
}

export function ok(extra: Record<string, unknown> = {}) {
  return { errcode: 0, errmsg: 'ok', ...extra };
}

export { jsonResponse, type FakeCall };
