// Shared fixtures for this package's tests (not exported from the package).
import { inspect } from 'node:util';
import { createFakeFetch, jsonResponse, type FakeCall, type FakeHandler } from '@scrm-openapi/core/testing';
import type { Logger } from '@scrm-openapi/core';
import { createWecomClient, type WecomClientOptions } from './index.js';

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

/** A logger that keeps every line it is given, as text. */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (obj: Record<string, unknown>, msg?: string) => {
    lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
  };
  return { lines, debug: log, info: log, warn: log, error: log };
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

/** Everything an error exposes: message, stack, enumerable properties (deep), the inspected form with its cause. */
export function everythingIn(error: unknown): string {
  const parts: string[] = [String(error)];
  if (error instanceof Error) parts.push(error.message, error.stack ?? '');
  parts.push(JSON.stringify(error, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ?? '');
  parts.push(inspect(error, { depth: 8, showHidden: true }));
  return parts.join('\n');
}

export function ok(extra: Record<string, unknown> = {}) {
  return { errcode: 0, errmsg: 'ok', ...extra };
}

export { jsonResponse, type FakeCall };
