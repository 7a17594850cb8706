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

export const SUITE_ID = 'wwsuite0123456789';
export const SUITE_SECRET = 'suite-SECRET-value-do-not-leak-0001';

/**
 * A fake WeCom for providers: suite tokens for the right suite secret and a live ticket, pre-auth and auth codes, a
 * permanent code per installed corp, corp tokens (from `get_corp_token`, or `gettoken` for 代开发) valid for their
 * corp only, and business calls that answer with the corp their token belongs to (40014 for an unknown token).
 */
export function fakeProviderWecom() {
  const tickets = new Set<string>();
  const codes = new Map<string, string>(); // corp → its permanent code
  const authCodes = new Map<string, { corpId: string; state?: string }>();
  const tokenCorp = new Map<string, string>(); // corp token → corp
  const suiteTokens = new Set<string>();
  const names = new Map<string, string>(); // corp → its name, once renamed
  const agents = new Map<string, number>(); // corp → how many times it changed its authorization
  let n = 0;
  const refuse = (errcode: number, errmsg: string) => ({ errcode, errmsg });
  const fetch = createFakeFetch((call) => {
    const body = (call.body ?? {}) as Record<string, string>;
    const suiteOk = () => suiteTokens.has(call.query.suite_access_token ?? '');
    switch (call.path) {
      case '/cgi-bin/service/get_suite_token':
        if (body.suite_id !== SUITE_ID || body.suite_secret !== SUITE_SECRET) return refuse(40013, 'invalid suite');
        if (!tickets.has(body.suite_ticket ?? '')) return refuse(40085, 'invalid suite_ticket');
        suiteTokens.add(`SUITE-TOKEN-${++n}`);
        return { errcode: 0, errmsg: 'ok', suite_access_token: `SUITE-TOKEN-${n}`, expires_in: 7200 };
      case '/cgi-bin/service/get_pre_auth_code':
        return suiteOk() ? ok({ pre_auth_code: `PRE-AUTH-${++n}`, expires_in: 1200 }) : refuse(40082, 'invalid suite_access_token');
      case '/cgi-bin/service/set_session_info':
        return suiteOk() ? ok() : refuse(40082, 'invalid suite_access_token');
      case '/cgi-bin/service/v2/get_permanent_code': {
        if (!suiteOk()) return refuse(40082, 'invalid suite_access_token');
        const auth = authCodes.get(body.auth_code ?? '');
        if (!auth) return refuse(40078, 'invalid auth_code');
        authCodes.delete(body.auth_code!);
        const code = `PERMANENT-CODE-${auth.corpId}-${++n}`;
        codes.set(auth.corpId, code);
        return ok({
          permanent_code: code,
          auth_corp_info: { corpid: auth.corpId, corp_name: `Corp ${auth.corpId}` },
          auth_user_info: { userid: 'admin' },
          ...(auth.state ? { state: auth.state } : {}),
        });
      }
      case '/cgi-bin/service/get_auth_info':
      case '/cgi-bin/service/v2/get_auth_info': {
        if (!suiteOk()) return refuse(40082, 'invalid suite_access_token');
        if (!body.auth_corpid || codes.get(body.auth_corpid) !== body.permanent_code) return refuse(40084, 'invalid permanent_code');
        return ok({
          auth_corp_info: { corpid: body.auth_corpid, corp_name: names.get(body.auth_corpid) ?? `Corp ${body.auth_corpid}` },
          auth_info: { agent: [{ agentid: 1000002 + (agents.get(body.auth_corpid) ?? 0), name: 'SCRM' }] },
        });
      }
      case '/cgi-bin/service/get_corp_token': {
        if (!suiteOk()) return refuse(40082, 'invalid suite_access_token');
        if (!body.auth_corpid || codes.get(body.auth_corpid) !== body.permanent_code) return refuse(40084, 'invalid permanent_code');
        const token = `CORP-TOKEN-${body.auth_corpid}-${++n}`;
        tokenCorp.set(token, body.auth_corpid);
        return { access_token: token, expires_in: 7200 }; // no errcode on success, as documented
      }
      case '/cgi-bin/gettoken': {
        const corp = call.query.corpid ?? '';
        if (codes.get(corp) !== call.query.corpsecret) return refuse(40001, 'invalid secret');
        const token = `CUSTOMIZED-TOKEN-${corp}-${++n}`;
        tokenCorp.set(token, corp);
        return ok({ access_token: token, expires_in: 7200 });
      }
      default: {
        const corp = tokenCorp.get(call.query.access_token ?? '');
        return corp ? ok({ corp, body }) : refuse(40014, 'invalid access_token');
      }
    }
  });
  const count = (path: string) => fetch.calls.filter((c) => c.path === path).length;
  return {
    fetch,
    count,
    /** WeCom pushed `ticket` (the suite will accept it). */
    issueTicket: (ticket: string) => tickets.add(ticket),
    /** An admin of `corpId` authorized the app: the one-time auth code of the redirect or of `create_auth`. */
    authorize(corpId: string, state?: string) {
      const code = `AUTH-CODE-${corpId}-${++n}`;
      authCodes.set(code, state === undefined ? { corpId } : { corpId, state });
      return code;
    },
    /** The corp changed its authorization (WeCom then sends change_auth): a new name, another agent. */
    changeAuthorization(corpId: string, name: string) {
      names.set(corpId, name);
      agents.set(corpId, (agents.get(corpId) ?? 0) + 1);
    },
    /** The corp cancelled: its permanent code and tokens stop working. */
    revoke(corpId: string) {
      codes.delete(corpId);
      for (const [token, corp] of tokenCorp) if (corp === corpId) tokenCorp.delete(token);
    },
    /** Install the app directly (the code as WeCom keeps it), for tests that do not walk the flow. */
    codeOf: (corpId: string) => codes.get(corpId),
    setCode: (corpId: string, code: string) => codes.set(corpId, code),
  };
}
