import { describe, expect, it } from 'vitest';
import { delay } from '@scrm-openapi/core/testing';
import type { ScrmEvent } from '@scrm-openapi/core';
import { createWecomClient, ScrmApiError, ScrmConfigError, ScrmHttpError, unwrap } from './index.js';
import {
  asFetched,
  captureLogger,
  client,
  CORP_ID,
  CORP_SECRET,
  everythingIn,
  fakeWecom,
  GETTOKEN,
  jsonResponse,
  ok,
  tokenValue,
} from './test-support.js';

const LIST_FOLLOW = '/cgi-bin/externalcontact/get_follow_user_list';
const ADD_WAY = '/cgi-bin/externalcontact/add_contact_way';
const GET_WAY = '/cgi-bin/externalcontact/get_contact_way';

describe('token handling', () => {
  it('fetches exactly one token for 100 concurrent cold calls', async () => {
    const wecom = fakeWecom(async () => {
      await delay(5);
      return ok({ follow_user: ['zhangsan'] });
    });
    const api = client(wecom.fetch);
    const results = await Promise.all(Array.from({ length: 100 }, () => api.GET(LIST_FOLLOW)));
    expect(results.every((r) => r.data?.follow_user?.[0] === 'zhangsan')).toBe(true);
    expect(wecom.tokenCalls()).toBe(1);
    expect(wecom.businessCalls()).toHaveLength(100);
    expect(new Set(wecom.businessCalls().map((c) => c.query.access_token))).toEqual(new Set([tokenValue(1)]));
  });

  it('sends the credentials to gettoken in the query and the token on every other call', async () => {
    const wecom = fakeWecom(() => ok({ follow_user: [] }));
    await client(wecom.fetch).GET(LIST_FOLLOW);
    const [tokenCall, call] = wecom.fetch.calls;
    expect(tokenCall?.method).toBe('GET');
    expect(tokenCall?.query).toEqual({ corpid: CORP_ID, corpsecret: CORP_SECRET });
    expect(call?.query).toEqual({ access_token: tokenValue(1) });
  });

  it('on 42001 in the middle of a run refreshes once, retries once and succeeds', async () => {
    let expired = false;
    const wecom = fakeWecom((call) => {
      if (expired && call.query.access_token === tokenValue(1)) return { errcode: 42001, errmsg: 'access_token expired' };
      return ok({ follow_user: ['lisi'] });
    });
    const api = client(wecom.fetch);
    await api.GET(LIST_FOLLOW);
    await api.GET(LIST_FOLLOW);
    expired = true; // WeCom invalidates the token early
    const { data, error } = await api.GET(LIST_FOLLOW);
    expect(error).toBeUndefined();
    expect(data?.follow_user).toEqual(['lisi']);
    expect(wecom.tokenCalls()).toBe(2);
    // 2 before + the rejected attempt + its one retry
    expect(wecom.businessCalls()).toHaveLength(4);
    expect(wecom.businessCalls().at(-1)?.query.access_token).toBe(tokenValue(2));
  });

  it.each([40001, 40014, 42001])('refreshes on %i for a non-idempotent write too (the server refused it)', async (code) => {
    let first = true;
    const wecom = fakeWecom(() => {
      if (first) {
        first = false;
        return { errcode: code, errmsg: 'token problem' };
      }
      return ok({ config_id: 'cfg-1' });
    });
    const { data } = await client(wecom.fetch).POST(ADD_WAY, { body: { type: 1, scene: 2, user: ['zhangsan'] } });
    expect(data?.config_id).toBe('cfg-1');
    expect(wecom.tokenCalls()).toBe(2);
  });

  it('never loops: a token refused again after one refresh is returned as the error', async () => {
    const wecom = fakeWecom(() => ({ errcode: 40014, errmsg: 'invalid access_token' }));
    const { data, error } = await client(wecom.fetch).GET(LIST_FOLLOW);
    expect(data).toBeUndefined();
    expect(error?.errcode).toBe(40014);
    expect(wecom.tokenCalls()).toBe(2);
    expect(wecom.businessCalls()).toHaveLength(2);
  });

  it('fails with the vendor error, without looping, when gettoken rejects the secret', async () => {
    const wecom = fakeWecom(() => ok());
    const fetch = Object.assign(
      async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (url.pathname === GETTOKEN) return jsonResponse({ errcode: 40001, errmsg: 'invalid credential' });
        return wecom.fetch(input, init);
      },
      { calls: [] },
    );
    let tokenRequests = 0;
    const counting: typeof globalThis.fetch = async (input, init) => {
      if (new URL(input instanceof Request ? input.url : String(input)).pathname === GETTOKEN) tokenRequests++;
      return fetch(input, init);
    };
    const api = client(counting);
    const error = await api.GET(LIST_FOLLOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrmApiError);
    expect((error as ScrmApiError).code).toBe(40001);
    expect((error as ScrmApiError).operation).toBe('getToken');
    expect(tokenRequests).toBe(1);
    expect(wecom.businessCalls()).toHaveLength(0);
  });

  it('refreshes proactively before expiry', async () => {
    let issued = 0;
    const calls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      calls.push(url.pathname);
      if (url.pathname === GETTOKEN) return jsonResponse({ errcode: 0, access_token: `tok-${++issued}`, expires_in: 2 });
      return jsonResponse(ok({ follow_user: [] }));
    };
    const api = createWecomClient({ corpId: CORP_ID, corpSecret: CORP_SECRET, fetch, tokenRefreshMarginMs: 60_000 });
    await api.GET(LIST_FOLLOW);
    await delay(1100); // past half of the 2 s lifetime: inside the refresh window, not yet expired
    await api.GET(LIST_FOLLOW);
    expect(calls.filter((p) => p === GETTOKEN)).toHaveLength(2);
  });
});

describe('retries', () => {
  it('retries a POST read that the spec marks idempotent (get_contact_way)', async () => {
    let n = 0;
    const wecom = fakeWecom(() =>
      ++n === 1 ? { errcode: -1, errmsg: 'busy' } : ok({ contact_way: { config_id: 'c1', type: 1, scene: 2 } }),
    );
    const { data } = await client(wecom.fetch).POST(GET_WAY, { body: { config_id: 'c1' } });
    expect(data?.contact_way?.config_id).toBe('c1');
    expect(wecom.businessCalls(GET_WAY)).toHaveLength(2);
  });

  it('does not retry a body error on add_contact_way (not idempotent)', async () => {
    const wecom = fakeWecom(() => ({ errcode: -1, errmsg: 'system busy' }));
    const result = await client(wecom.fetch).POST(ADD_WAY, { body: { type: 1, scene: 2, user: ['zhangsan'] } });
    expect(result.error?.errcode).toBe(-1);
    expect(wecom.businessCalls(ADD_WAY)).toHaveLength(1);
    const thrown = (() => {
      try {
        unwrap(result);
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(ScrmApiError);
    expect(thrown).toMatchObject({ code: -1, action: 'retry', retryable: true, operation: 'addContactWay', vendor: 'wecom' });
  });

  it('backs off longer on the rate-limit code 45009', async () => {
    let n = 0;
    const events: ScrmEvent[] = [];
    const wecom = fakeWecom(() => (++n === 1 ? { errcode: 45009, errmsg: 'api freq out of limit' } : ok({ follow_user: [] })));
    await client(wecom.fetch, { retry: { baseDelayMs: 1, throttleDelayMs: 40 }, onEvent: (e) => events.push(e) }).GET(LIST_FOLLOW);
    const retry = events.find((e) => e.type === 'retry');
    expect(retry && retry.type === 'retry' ? retry.delayMs : 0).toBeGreaterThanOrEqual(20);
  });
});

describe('timeouts and bad answers', () => {
  it('turns an HTML page with a 5xx status into ScrmHttpError after retries', async () => {
    const wecom = fakeWecom(() => new Response('<html>upstream down</html>', { status: 504, headers: { 'content-type': 'text/html' } }));
    const error = await client(wecom.fetch)
      .GET(LIST_FOLLOW)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrmHttpError);
    expect(error).toMatchObject({ status: 504 });
  });
});

describe('configuration', () => {
  it('rejects a missing secret with a ScrmConfigError naming the option', () => {
    expect(() => createWecomClient({ corpId: CORP_ID, corpSecret: '' })).toThrow(ScrmConfigError);
    expect(() => createWecomClient({ corpId: CORP_ID, corpSecret: '' })).toThrow(/corpSecret/);
    expect(() => createWecomClient({ corpId: '', corpSecret: CORP_SECRET })).toThrow(/corpId/);
  });

  it('rejects a bad timeout and a bad baseUrl', () => {
    expect(() => createWecomClient({ corpId: CORP_ID, corpSecret: CORP_SECRET, timeoutMs: 0 })).toThrow(ScrmConfigError);
    expect(() => createWecomClient({ corpId: CORP_ID, corpSecret: CORP_SECRET, baseUrl: 'not a url' })).toThrow(ScrmConfigError);
    expect(() => createWecomClient({ corpId: CORP_ID, corpSecret: CORP_SECRET, retry: { maxRetries: -1 } })).toThrow(ScrmConfigError);
  });

  it('uses baseUrl for every call (sandbox, proxy)', async () => {
    const wecom = fakeWecom(() => ok({ follow_user: [] }));
    await client(wecom.fetch, { baseUrl: 'http://127.0.0.1:4010/wecom/' }).GET(LIST_FOLLOW);
    expect(wecom.fetch.calls.map((c) => c.url.origin + c.path)).toEqual([
      'http://127.0.0.1:4010/wecom/cgi-bin/gettoken',
      `http://127.0.0.1:4010/wecom${LIST_FOLLOW}`,
    ]);
  });
});

describe('operations outside the managed token', () => {
  it('sends provider/suite-token calls without access_token and redacts their token', async () => {
    const SUITE_TOKEN = 'SUITE-token-do-not-leak-0001';
    const THIRD_PARTY = '/cgi-bin/service/externalcontact/unionid_to_external_userid_3rd';
    const init = { params: { query: { suite_access_token: SUITE_TOKEN } }, body: { unionid: 'oAAAAAA', openid: 'oBBBBBB' } };
    // the first call succeeds; the second is refused by a vendor echoing the URL it was called with
    let n = 0;
    const wecom = fakeWecom((call) =>
      asFetched(
        jsonResponse(
          ++n === 1 ? ok({ external_userid_info: [] }) : { errcode: 40082, errmsg: `invalid suite_access_token, url: ${call.url.href}` },
        ),
        call.url,
      ),
    );
    const logger = captureLogger();
    const api = client(wecom.fetch, { logger, retry: false });

    const { data, response } = await api.POST(THIRD_PARTY, init);
    expect(data?.external_userid_info).toEqual([]);
    expect(wecom.tokenCalls()).toBe(0);
    expect(wecom.businessCalls()[0]?.query).toEqual({ suite_access_token: SUITE_TOKEN });
    expect(response.url).toContain(THIRD_PARTY);
    expect(response.url).not.toContain(SUITE_TOKEN);

    const refused = await api.POST(THIRD_PARTY, init);
    expect(refused.response.url).not.toContain(SUITE_TOKEN);
    const error = (() => {
      try {
        unwrap(refused);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScrmApiError);
    expect(error).toMatchObject({ code: 40082, operation: 'serviceUnionidToExternalUserid3rd' });
    expect(everythingIn(error)).toContain(THIRD_PARTY);
    expect(everythingIn(error)).not.toContain(SUITE_TOKEN);

    // both calls were logged (request and response each), and no line carries the token
    const logged = logger.lines.filter((line) => line.includes('serviceUnionidToExternalUserid3rd'));
    expect(logged).toHaveLength(4);
    expect(logger.lines.join('\n')).not.toContain(SUITE_TOKEN);
    expect(api.profile.secretParams).toContain('suite_access_token');
  });

  it('uploads an attachment as multipart/form-data with the token in the query', async () => {
    const wecom = fakeWecom(() => ok({ type: 'image', media_id: 'MEDIA_1', created_at: 1700000000 }));
    const form = new FormData();
    form.append('media', new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }), 'a.png');
    const { data } = await client(wecom.fetch).POST('/cgi-bin/media/upload_attachment', {
      params: { query: { media_type: 'image', attachment_type: 1 } },
      body: form as never,
      bodySerializer: (b: unknown) => b as FormData,
    });
    expect(data?.media_id).toBe('MEDIA_1');
    const call = wecom.businessCalls()[0]!;
    expect(call.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(call.query).toMatchObject({ media_type: 'image', attachment_type: '1', access_token: tokenValue(1) });
  });
});
