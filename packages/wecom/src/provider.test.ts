// createWecomProvider as a 服务商 meets it, against a fake WeCom for providers: the install flow from the install link
// to a corp's first call, the suite ticket (missing, expired, pushed by the callback), revoked and cancelled
// authorizations, 代开发 corps, and tenant isolation over thousands of concurrent calls.
import { describe, expect, it } from 'vitest';
import { createWecomCallbackSigner, createWecomProviderCallback } from './callback.js';
import {
  createWecomProvider,
  MemoryPermanentCodeStore,
  MemorySuiteTicketStore,
  MemoryTokenStore,
  ScrmAuthorizationError,
  ScrmConfigError,
  ScrmTicketError,
  type WecomProviderOptions,
} from './index.js';
import { everythingIn, fakeProviderWecom, SUITE_ID, SUITE_SECRET } from './test-support.js';

const TOKEN = 'callbackToken';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

function setup(extra: Partial<WecomProviderOptions> = {}, { ticket = true } = {}) {
  const wecom = fakeProviderWecom();
  const permanentCodeStore = new MemoryPermanentCodeStore();
  const suiteTicketStore = new MemorySuiteTicketStore();
  const provider = createWecomProvider({
    suiteId: SUITE_ID,
    suiteSecret: SUITE_SECRET,
    permanentCodeStore,
    suiteTicketStore,
    fetch: wecom.fetch,
    retry: { baseDelayMs: 1, maxDelayMs: 4 },
    ...extra,
  });
  if (ticket) {
    wecom.issueTicket('TICKET-1');
    void provider.saveSuiteTicket('TICKET-1');
  }
  /** Installs the app into `corpId` through the real flow (auth code → permanent code). */
  const install = async (corpId: string) => provider.completeAuthorization(wecom.authorize(corpId));
  return { wecom, provider, permanentCodeStore, suiteTicketStore, install };
}

const follow = (client: ReturnType<ReturnType<typeof setup>['provider']['forCorp']>) =>
  client.GET('/cgi-bin/externalcontact/get_follow_user_list').then((r) => (r.data as unknown as { corp?: string } | undefined)?.corp);

describe('the install flow', () => {
  it('builds the install link from a fresh pre-auth code, saves the permanent code, and the corp is called with its own token', async () => {
    const { wecom, provider, permanentCodeStore } = setup();
    const link = new URL(
      await provider.installUrl({ redirectUri: 'https://app.example.com/wecom/installed', state: 'user-42', authType: 1 }),
    );
    expect(`${link.origin}${link.pathname}`).toBe('https://open.work.weixin.qq.com/3rdapp/install');
    expect(Object.fromEntries(link.searchParams)).toEqual({
      suite_id: SUITE_ID,
      pre_auth_code: expect.stringMatching(/^PRE-AUTH-/),
      redirect_uri: 'https://app.example.com/wecom/installed',
      state: 'user-42',
    });
    const session = wecom.fetch.calls.find((c) => c.path === '/cgi-bin/service/set_session_info');
    expect(session?.body).toEqual({ pre_auth_code: link.searchParams.get('pre_auth_code'), session_info: { auth_type: 1 } });

    // the admin authorized: WeCom redirects with auth_code
    const auth = await provider.completeAuthorization(wecom.authorize('wwcorpA', 'user-42'));
    expect(auth).toMatchObject({ corpId: 'wwcorpA', corpName: 'Corp wwcorpA', state: 'user-42' });
    expect(auth.info).not.toHaveProperty('permanent_code');
    expect((await permanentCodeStore.get(SUITE_ID, 'wwcorpA'))?.permanentCode).toBe(wecom.codeOf('wwcorpA'));

    expect(await follow(provider.forCorp('wwcorpA'))).toBe('wwcorpA');
    const corpToken = wecom.fetch.calls.find((c) => c.path === '/cgi-bin/service/get_corp_token')!;
    expect(corpToken.body).toEqual({ auth_corpid: 'wwcorpA', permanent_code: wecom.codeOf('wwcorpA') });
    expect(corpToken.query.suite_access_token).toMatch(/^SUITE-TOKEN-/);
    expect(wecom.count('/cgi-bin/service/get_suite_token')).toBe(1);
    // the same client for the same corp, tokens fetched once
    expect(provider.forCorp('wwcorpA')).toBe(provider.forCorp('wwcorpA'));
  });

  it('runs the whole flow from the callback: ticket pushed, create_auth, a data event with its corp client, cancel_auth', async () => {
    const { wecom, provider, permanentCodeStore } = setup({}, { ticket: false });
    const seen: { key: string | null; corp: string | undefined }[] = [];
    const callback = createWecomProviderCallback(provider, {
      token: TOKEN,
      encodingAESKey: AES_KEY,
      onEvent: async (e) => {
        seen.push({ key: e.key, corp: e.corp ? await follow(e.corp) : undefined });
      },
    });
    const signer = createWecomCallbackSigner({ token: TOKEN, encodingAESKey: AES_KEY, receiveId: SUITE_ID });
    const now = Math.floor(Date.now() / 1000);
    const deliver = (event: Record<string, unknown>) => {
      const { query, body } = signer.event(event);
      return callback.handle(query, body);
    };

    // before any ticket: the suite token cannot be had
    await expect(provider.installUrl({ redirectUri: 'https://app.example.com/x' })).rejects.toMatchObject({
      name: 'ScrmTicketError',
      reason: 'missing',
    });
    wecom.issueTicket('TICKET-A');
    await deliver({ SuiteId: SUITE_ID, InfoType: 'suite_ticket', TimeStamp: now, SuiteTicket: 'TICKET-A' });

    const created = await deliver({ SuiteId: SUITE_ID, AuthCode: wecom.authorize('wwcorpB'), InfoType: 'create_auth', TimeStamp: now });
    expect(created.authorization?.corpId).toBe('wwcorpB');
    expect(await permanentCodeStore.get(SUITE_ID, 'wwcorpB')).toBeDefined();

    await deliver({
      SuiteId: SUITE_ID,
      AuthCorpId: 'wwcorpB',
      InfoType: 'change_external_contact',
      TimeStamp: now,
      ChangeType: 'add_external_contact',
      UserID: 'zhangsan',
      ExternalUserID: 'wmEXTERNAL',
    });
    await deliver({ SuiteId: SUITE_ID, AuthCorpId: 'wwcorpB', InfoType: 'cancel_auth', TimeStamp: now });
    expect(await permanentCodeStore.get(SUITE_ID, 'wwcorpB')).toBeUndefined();
    expect(seen).toEqual([
      { key: 'suite_ticket', corp: undefined },
      { key: 'create_auth', corp: 'wwcorpB' },
      { key: 'change_external_contact.add_external_contact', corp: 'wwcorpB' },
      { key: 'cancel_auth', corp: undefined },
    ]);
    await expect(follow(provider.forCorp('wwcorpB'))).rejects.toMatchObject({ name: 'ScrmAuthorizationError', reason: 'not-authorized' });
  });

  it('exchanges the new auth code of reset_permanent_code and drops the token of the old code', async () => {
    const { wecom, provider, permanentCodeStore, install } = setup();
    await install('wwcorpC');
    await follow(provider.forCorp('wwcorpC'));
    const old = (await permanentCodeStore.get(SUITE_ID, 'wwcorpC'))?.permanentCode;
    const callback = createWecomProviderCallback(provider, { token: TOKEN, encodingAESKey: AES_KEY });
    const signer = createWecomCallbackSigner({ token: TOKEN, encodingAESKey: AES_KEY, receiveId: SUITE_ID });
    const { query, body } = signer.event({
      SuiteId: SUITE_ID,
      AuthCode: wecom.authorize('wwcorpC'),
      InfoType: 'reset_permanent_code',
      TimeStamp: Math.floor(Date.now() / 1000),
    });
    await callback.handle(query, body);
    const renewed = (await permanentCodeStore.get(SUITE_ID, 'wwcorpC'))?.permanentCode;
    expect(renewed).not.toBe(old);
    expect(await follow(provider.forCorp('wwcorpC'))).toBe('wwcorpC');
    expect(wecom.count('/cgi-bin/service/get_corp_token')).toBe(2);
  });
});

describe('change_auth', () => {
  it('reads the authorization again and saves it, keeping what only the install told (admin, state)', async () => {
    const { wecom, provider, permanentCodeStore } = setup();
    await provider.completeAuthorization(wecom.authorize('wwcorpD', 'user-7'));
    const before = await permanentCodeStore.get(SUITE_ID, 'wwcorpD');
    wecom.changeAuthorization('wwcorpD', '新名字科技');
    const callback = createWecomProviderCallback(provider, { token: TOKEN, encodingAESKey: AES_KEY });
    const signer = createWecomCallbackSigner({ token: TOKEN, encodingAESKey: AES_KEY, receiveId: SUITE_ID });
    const { query, body } = signer.event({
      SuiteId: SUITE_ID,
      AuthCorpId: 'wwcorpD',
      InfoType: 'change_auth',
      TimeStamp: Math.floor(Date.now() / 1000),
    });
    const handled = await callback.handle(query, body);

    expect(wecom.count('/cgi-bin/service/v2/get_auth_info')).toBe(1);
    expect(handled.authorization).toMatchObject({ corpId: 'wwcorpD', corpName: '新名字科技', state: 'user-7' });
    const after = await permanentCodeStore.get(SUITE_ID, 'wwcorpD');
    expect(after?.permanentCode).toBe(before?.permanentCode);
    expect(after?.name).toBe('新名字科技');
    expect(after?.info).toMatchObject({
      auth_user_info: { userid: 'admin' },
      state: 'user-7',
      auth_info: { agent: [{ agentid: 1000003 }] },
    });
    expect(JSON.stringify(after?.info)).not.toContain(after?.permanentCode);
    // the corp is still called with its token
    expect(await follow(provider.forCorp('wwcorpD'))).toBe('wwcorpD');
  });

  it('is a ScrmAuthorizationError for a corp with no stored code, before any request', async () => {
    const { wecom, provider } = setup();
    await expect(provider.refreshAuthorization('wwnobody')).rejects.toMatchObject({
      name: 'ScrmAuthorizationError',
      reason: 'not-authorized',
    });
    await expect(provider.refreshAuthorization('')).rejects.toBeInstanceOf(ScrmConfigError);
    expect(wecom.count('/cgi-bin/service/v2/get_auth_info')).toBe(0);
  });
});

describe('the suite ticket', () => {
  it('is a ScrmTicketError when none was pushed, and when the newest one is past its lifetime', async () => {
    const { wecom, provider, suiteTicketStore } = setup({}, { ticket: false });
    const missing = await provider.installUrl({ redirectUri: 'https://app.example.com/x' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ScrmTicketError);
    expect(missing).toMatchObject({ reason: 'missing', appId: SUITE_ID, operation: 'getSuiteToken', retryable: true });
    await suiteTicketStore.set(SUITE_ID, { value: 'OLD-TICKET', expiresAt: Date.now() - 1 });
    await expect(provider.installUrl({ redirectUri: 'https://app.example.com/x' })).rejects.toMatchObject({ reason: 'expired' });
    expect(wecom.count('/cgi-bin/service/get_suite_token')).toBe(0);
    // a ticket pushed 29 minutes ago is still used; one pushed 31 minutes ago is not
    wecom.issueTicket('TICKET-2');
    await provider.saveSuiteTicket('TICKET-2', Date.now() - 31 * 60_000);
    await expect(provider.installUrl({ redirectUri: 'https://app.example.com/x' })).rejects.toMatchObject({ reason: 'expired' });
    await provider.saveSuiteTicket('TICKET-2', Date.now() - 29 * 60_000);
    await expect(provider.installUrl({ redirectUri: 'https://app.example.com/x' })).resolves.toMatch(/pre_auth_code=PRE-AUTH-/);
  });

  it('keeps the ticket and the secrets out of every error', async () => {
    const { wecom, provider } = setup({}, { ticket: false });
    await provider.saveSuiteTicket('TICKET-not-accepted-0001');
    const error = await provider.installUrl({ redirectUri: 'https://app.example.com/x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ScrmApiError', code: 40085 });
    for (const secret of ['TICKET-not-accepted-0001', SUITE_SECRET]) expect(everythingIn(error)).not.toContain(secret);
    expect(wecom.count('/cgi-bin/service/get_suite_token')).toBe(1);
  });
});

describe('revoked and missing authorizations', () => {
  it('is a ScrmAuthorizationError (not-authorized) for a corp with no stored code, before any corp-token request', async () => {
    const { wecom, provider } = setup();
    const error = await follow(provider.forCorp('wwnever')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrmAuthorizationError);
    expect(error).toMatchObject({ reason: 'not-authorized', tenantId: 'wwnever', appId: SUITE_ID });
    expect(wecom.count('/cgi-bin/service/get_corp_token')).toBe(0);
  });

  it('is a ScrmAuthorizationError (revoked, with the code) when WeCom refuses the stored code', async () => {
    const { wecom, provider, install } = setup();
    await install('wwcorpD');
    await follow(provider.forCorp('wwcorpD'));
    wecom.revoke('wwcorpD');
    // the corp token stops working: refreshed once, and the refresh is refused
    const error = await follow(provider.forCorp('wwcorpD')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrmAuthorizationError);
    expect(error).toMatchObject({ reason: 'revoked', tenantId: 'wwcorpD', code: 40084 });
    expect(everythingIn(error)).not.toMatch(/PERMANENT-CODE/);
  });

  it('cancelAuthorization drops the code and the tokens: the next call asks the store, which has nothing', async () => {
    const tokenStore = new MemoryTokenStore();
    const { wecom, provider, install } = setup({ tokenStore });
    await install('wwcorpE');
    const corp = provider.forCorp('wwcorpE');
    await follow(corp);
    await provider.cancelAuthorization('wwcorpE');
    await expect(follow(corp)).rejects.toMatchObject({ name: 'ScrmAuthorizationError', reason: 'not-authorized' });
    await expect(follow(provider.forCorp('wwcorpE'))).rejects.toMatchObject({ reason: 'not-authorized' });
    expect(wecom.count('/cgi-bin/service/get_corp_token')).toBe(1);
  });
});

describe('代开发 (customized) corps', () => {
  it('take their token from gettoken with the permanent code as the secret', async () => {
    const { wecom, provider, install } = setup({ mode: 'customized' });
    await install('wwcustom');
    expect(await follow(provider.forCorp('wwcustom'))).toBe('wwcustom');
    const gettoken = wecom.fetch.calls.find((c) => c.path === '/cgi-bin/gettoken')!;
    expect(gettoken.query).toEqual({ corpid: 'wwcustom', corpsecret: wecom.codeOf('wwcustom') });
    expect(wecom.count('/cgi-bin/service/get_corp_token')).toBe(0);
  });
});

describe('tenant isolation', () => {
  it('never sends corp A a token of corp B, over 5,000 calls for 50 corps in two providers sharing one token store', {
    timeout: 30_000,
  }, async () => {
    const tokenStore = new MemoryTokenStore();
    // (WeCom's per-corp rate limits would only slow this down: the throttle is off)
    const { wecom, provider, install, permanentCodeStore, suiteTicketStore } = setup({ tokenStore, throttle: false });
    const corps = Array.from({ length: 50 }, (_, i) => `wwtenant${String(i).padStart(2, '0')}`);
    for (const corp of corps) await install(corp);
    // one call per corp in turn (each corp's token is in the store when the next corp asks), then 2,500 at once
    for (const corp of corps) expect(await follow(provider.forCorp(corp))).toBe(corp);
    const calls = Array.from({ length: 2500 }, (_, i) => corps[(i * 7) % corps.length]!);
    expect(await Promise.all(calls.map((corp) => follow(provider.forCorp(corp))))).toEqual(calls);
    // another process in miniature: its own provider object, the same stores — it reads every token from the store
    const other = createWecomProvider({
      suiteId: SUITE_ID,
      suiteSecret: SUITE_SECRET,
      permanentCodeStore,
      suiteTicketStore,
      tokenStore,
      fetch: wecom.fetch,
      throttle: false,
    });
    expect(await Promise.all(calls.map((corp) => follow(other.forCorp(corp))))).toEqual(calls);
    expect(wecom.count('/cgi-bin/service/get_corp_token')).toBe(50);
    expect(wecom.count('/cgi-bin/service/get_suite_token')).toBe(1);
    expect(provider.tokenFetches()).toEqual({ suite: 1, corp: 50 });
    expect(other.tokenFetches()).toEqual({ suite: 0, corp: 0 });
  });
});

describe('options', () => {
  it('refuses a provider without its suite credentials or its permanent-code store, and a corp call on the suite client', async () => {
    const base = { suiteId: SUITE_ID, suiteSecret: SUITE_SECRET, permanentCodeStore: new MemoryPermanentCodeStore() };
    expect(() => createWecomProvider({ ...base, suiteSecret: '' })).toThrow(/suiteSecret/);
    expect(() => createWecomProvider({ ...base, permanentCodeStore: undefined as never })).toThrow(/permanentCodeStore/);
    expect(() => createWecomProvider({ ...base, providerCorpId: 'wwprovider' })).toThrow(/providerSecret/);
    const { provider } = setup();
    await expect(provider.client.GET('/cgi-bin/externalcontact/get_follow_user_list')).rejects.toThrow(ScrmConfigError);
    await expect(provider.client.GET('/cgi-bin/externalcontact/get_follow_user_list')).rejects.toThrow(/forCorp/);
  });
});
