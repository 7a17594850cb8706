import { describe, expect, it } from 'vitest';
import { delay } from '@scrm-openapi/core/testing';
import { ScrmError, unwrap } from './index.js';
import { asFetched, captureLogger, client, CORP_SECRET, everythingIn, fakeWecom, jsonResponse, ok, tokenValue } from './test-support.js';

const LIST_FOLLOW = '/cgi-bin/externalcontact/get_follow_user_list';
const ADD_WAY = '/cgi-bin/externalcontact/add_contact_way';
const SECRETS = [CORP_SECRET, tokenValue(1), tokenValue(2), encodeURIComponent(CORP_SECRET)];

function expectNoSecret(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

/** Each scenario makes the client fail in one way; the vendor echoes the URL (with the token) where it can. */
const scenarios: Record<string, (call: { url: URL; signal: AbortSignal }) => unknown> = {
  'vendor error echoing the URL': (call) => ({ errcode: 40058, errmsg: `invalid request ${call.url.href}` }),
  'vendor error echoing the secret': () => ({ errcode: 40001, errmsg: `invalid credential corpsecret=${CORP_SECRET}` }),
  'HTTP 500 page echoing the URL': (call) => new Response(`<html>error at ${call.url.href}</html>`, { status: 500 }),
  'HTTP 400 with JSON echoing the token': (call) =>
    new Response(JSON.stringify({ access_token: call.url.searchParams.get('access_token') }), { status: 400 }),
  'malformed JSON echoing the URL': (call) => new Response(`{"url": "${call.url.href}"`, { status: 200 }),
  'network error whose cause names the URL': (call) => {
    throw Object.assign(new TypeError(`fetch failed for ${call.url.href}`), {
      cause: Object.assign(new Error(`connect ECONNRESET ${call.url.href}`), { code: 'ECONNRESET' }),
    });
  },
  timeout: async (call) => {
    await delay(1000, call.signal);
    return ok();
  },
};

describe('no secret in errors or logs', () => {
  it.each(Object.keys(scenarios))('%s: neither corpsecret nor access_token appears anywhere', async (name) => {
    const scenario = scenarios[name]!;
    const wecom = fakeWecom((call) => scenario(call) as never);
    const logger = captureLogger();
    const api = client(wecom.fetch, { logger, timeoutMs: 40, onEvent: (e) => logger.lines.push(JSON.stringify(e)) });
    for (const call of [
      () => api.GET(LIST_FOLLOW).then(unwrap),
      () => api.POST(ADD_WAY, { body: { type: 1, scene: 2, user: ['zhangsan'] } }).then(unwrap),
    ]) {
      // every scenario makes both calls fail: an error that is not thrown cannot be checked
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ScrmError);
      expectNoSecret(everythingIn(error));
    }
    expect(logger.lines.length).toBeGreaterThan(0);
    expectNoSecret(logger.lines.join('\n'));
  });

  it.each([
    ['a success', () => ok({ follow_user: [] }), true],
    ['a vendor error', () => ({ errcode: 40058, errmsg: 'invalid parameter' }), false],
  ])('redacts the token from the url of the returned response too (%s)', async (_name, answer, success) => {
    // as a real fetch does, the fake's response carries the URL requested, access_token and all
    const wecom = fakeWecom((call) => asFetched(jsonResponse(answer()), call.url));
    const { error, response } = await client(wecom.fetch, { retry: false }).GET(LIST_FOLLOW);
    expect(error === undefined).toBe(success);
    expect(wecom.businessCalls()[0]?.query.access_token).toBe(tokenValue(1));
    expect(response.url).toContain(LIST_FOLLOW);
    expect(new URL(response.url).searchParams.get('access_token')).toBe('[REDACTED]');
    expectNoSecret(response.url);
    expectNoSecret(JSON.stringify([...response.headers]));
    expect(response.status).toBe(200);
  });

  it.each([
    ['parseAs text (the response is rebuilt)', { parseAs: 'text' as const }, {}],
    ['a response whose url cannot be redefined', {}, { configurable: false }],
  ])('redacts the url of the returned response with %s', async (_name, init, fetched) => {
    const wecom = fakeWecom((call) => asFetched(jsonResponse(ok({ follow_user: ['zhangsan'] })), call.url, fetched));
    const { data, response } = await client(wecom.fetch).GET(LIST_FOLLOW, init);
    expect(JSON.stringify(data)).toContain('zhangsan');
    expect(new URL(response.url).searchParams.get('access_token')).toBe('[REDACTED]');
    expectNoSecret(response.url);
  });

  it('logs requests, responses and the token refresh without secrets', async () => {
    const wecom = fakeWecom(() => ok({ follow_user: [] }));
    const logger = captureLogger();
    await client(wecom.fetch, { logger }).GET(LIST_FOLLOW);
    const text = logger.lines.join('\n');
    expect(text).toContain('token-refresh');
    expect(text).toContain('getFollowUserList');
    expectNoSecret(text);
  });
});
