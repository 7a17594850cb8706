import { describe, expect, it } from 'vitest';
import { MemoryTokenStore, ScrmConfigError } from '@scrm-openapi/core';
import { createJsapiTickets, oauthAuthorizeUrl, signJsapi } from './index.js';
import { client, CORP_ID, fakeWecom, ok } from './test-support.js';

describe('signJsapi(): the JS-SDK signature WeCom documents (doc 90506)', () => {
  it('matches the documented example', () => {
    const signature = signJsapi({
      ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
      nonceStr: 'Wm3WZYTPz0wzccnW',
      timestamp: 1414587457,
      url: 'http://mp.weixin.qq.com?params=value',
    });
    expect(signature).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });
  it('drops the #fragment of the page URL and takes the timestamp as text too', () => {
    const base = { ticket: 'T', nonceStr: 'N', timestamp: 1700000000, url: 'https://a.example/p?x=1' };
    expect(signJsapi({ ...base, url: `${base.url}#/detail` })).toBe(signJsapi(base));
    expect(signJsapi({ ...base, timestamp: '1700000000' })).toBe(signJsapi(base));
  });
  it('refuses missing inputs', () => {
    expect(() => signJsapi({ ticket: '', nonceStr: 'n', timestamp: 1, url: 'https://a' })).toThrow(ScrmConfigError);
    expect(() => signJsapi({ ticket: 't', nonceStr: 'n', timestamp: 'soon', url: 'https://a' })).toThrow(/unix seconds/);
  });
});

describe('createJsapiTickets(): tickets cached like tokens', () => {
  const wecom = () => {
    let n = 0;
    return fakeWecom(async (call) => {
      await new Promise((r) => setTimeout(r, 5));
      n++;
      if (call.path.endsWith('/cgi-bin/get_jsapi_ticket')) return ok({ ticket: `CORP-${n}`, expires_in: 7200 });
      if (call.path.endsWith('/cgi-bin/ticket/get')) return ok({ ticket: `AGENT-${n}`, expires_in: 7200, type: call.query.type });
      return ok();
    });
  };

  it('fetches each ticket once for many concurrent callers, and reuses it', async () => {
    const fake = wecom();
    const tickets = createJsapiTickets(client(fake.fetch), { corpId: CORP_ID, agentId: 1000002 });
    const corp = await Promise.all(Array.from({ length: 10 }, () => tickets.corpTicket()));
    expect(new Set(corp).size).toBe(1);
    const agent = await Promise.all(Array.from({ length: 10 }, () => tickets.agentTicket()));
    expect(new Set(agent).size).toBe(1);
    await tickets.signAgent('https://a.example/');
    expect(fake.businessCalls('/cgi-bin/get_jsapi_ticket')).toHaveLength(1);
    expect(fake.businessCalls('/cgi-bin/ticket/get')).toHaveLength(1);
    expect(fake.businessCalls('/cgi-bin/ticket/get')[0]!.query.type).toBe('agent_config');
    expect(tickets.fetches).toEqual({ corp: 1, agent: 1 });
  });

  it('shares tickets through a store, refreshes them after expiry and after invalidate()', async () => {
    const store = new MemoryTokenStore();
    let now = 1_700_000_000_000;
    const fake = wecom();
    const one = createJsapiTickets(client(fake.fetch), { corpId: CORP_ID, agentId: 1, store, now: () => now });
    const other = createJsapiTickets(client(fake.fetch), { corpId: CORP_ID, agentId: 1, store, now: () => now });
    const first = await one.corpTicket();
    expect(await other.corpTicket()).toBe(first);
    expect(fake.businessCalls('/cgi-bin/get_jsapi_ticket')).toHaveLength(1);
    now += 7200_000;
    const second = await one.corpTicket();
    expect(second).not.toBe(first);
    await one.invalidate('corp', second);
    expect(await one.corpTicket()).not.toBe(second);
    expect(fake.businessCalls('/cgi-bin/get_jsapi_ticket')).toHaveLength(3);
  });

  it('signs a page with the cached ticket, a fresh nonce and the current time', async () => {
    const now = 1_700_000_000_000;
    const tickets = createJsapiTickets(client(wecom().fetch), { corpId: CORP_ID, agentId: 1, now: () => now });
    const signed = await tickets.signCorp('https://a.example/page#x');
    expect(signed.timestamp).toBe(1_700_000_000);
    expect(signed.signature).toBe(
      signJsapi({
        ticket: await tickets.corpTicket(),
        nonceStr: signed.nonceStr,
        timestamp: signed.timestamp,
        url: 'https://a.example/page',
      }),
    );
    expect((await tickets.signCorp('https://a.example/page')).nonceStr).not.toBe(signed.nonceStr);
  });
});

describe('oauthAuthorizeUrl(): the web OAuth link of doc 91022', () => {
  it('builds the documented URL with the redirect URI encoded', () => {
    expect(
      oauthAuthorizeUrl({
        corpId: 'wxCorpId',
        redirectUri: 'http://api.3dept.com/cgi-bin/query?action=get',
        state: 'S1',
        agentId: 1000002,
      }),
    ).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wxCorpId&redirect_uri=http%3A%2F%2Fapi.3dept.com%2Fcgi-bin%2Fquery%3Faction%3Dget&response_type=code&scope=snsapi_base&state=S1&agentid=1000002#wechat_redirect',
    );
  });
  it('requires agentId for snsapi_privateinfo and a plain state', () => {
    expect(() => oauthAuthorizeUrl({ corpId: 'c', redirectUri: 'https://a.example/', scope: 'snsapi_privateinfo' })).toThrow(/agentId/);
    expect(() => oauthAuthorizeUrl({ corpId: 'c', redirectUri: 'https://a.example/', state: 'a&b' })).toThrow(/state/);
  });
});
