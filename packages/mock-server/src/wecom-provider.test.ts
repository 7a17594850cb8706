// The sandbox as WeCom for service providers (服务商) and 代开发 apps, by raw HTTP: suite tickets pushed to the
// instruction callback URL, the install flow, corp tokens valid for their corp only, cancelled authorizations.
import { createServer, type Server } from 'node:http';
import { WxBizMsgCrypt } from '@scrm-openapi/core/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './index.js';

type Json = Record<string, any>;

/** An instruction callback receiver that decrypts with core's WXBizMsgCrypt and keeps every notice (as XML fields). */
async function receiver(config: { token: string; encodingAESKey: string; receiveId: string }) {
  const crypt = new WxBizMsgCrypt(config);
  const notices: Record<string, string>[] = [];
  const waiters: (() => void)[] = [];
  /** How many of the next notices of an InfoType to answer HTTP 500 (unacknowledged: WeCom sends them again). */
  const failing: Record<string, number> = {};
  const http: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const encrypted = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(body)?.[1] ?? '';
    crypt.verify(query.get('msg_signature') ?? '', query.get('timestamp') ?? '', query.get('nonce') ?? '', encrypted);
    const xml = crypt.decrypt(encrypted);
    const fields: Record<string, string> = {};
    for (const [, name, cdata, text] of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))<\/\1>/g))
      fields[name!] = cdata ?? text ?? '';
    if ((failing[fields.InfoType!] ?? 0) > 0) {
      failing[fields.InfoType!]!--;
      res.statusCode = 500;
      res.end('not now');
      return;
    }
    notices.push(fields);
    for (const w of waiters.splice(0)) w();
    res.end('success');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/suite/callback`;
  /** The next notice of this InfoType (one already received and not yet taken counts). */
  const next = async (infoType: string, timeoutMs = 5000): Promise<Record<string, string>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = notices.findIndex((n) => n.InfoType === infoType);
      if (i >= 0) return notices.splice(i, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no ${infoType} notice within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 50);
      });
    }
  };
  return { url, notices, next, failing, close: () => new Promise<void>((r) => http.close(() => r())) };
}

let server: MockServer;
let suite: Awaited<ReturnType<typeof receiver>>;
let wecom: string;

const post = async (path: string, body: unknown, query: Record<string, string> = {}): Promise<Json> => {
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${wecom}${path}${qs ? `?${qs}` : ''}`, { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as Json;
};
const get = async (path: string, query: Record<string, string>): Promise<Json> =>
  (await fetch(`${wecom}${path}?${new URLSearchParams(query)}`)).json() as Promise<Json>;
const control = async (action: string, input: unknown = {}) => {
  const res = await fetch(`${server.url}/_control/wecom/${action}`, { method: 'POST', body: JSON.stringify(input) });
  return { status: res.status, body: (await res.json()) as Json };
};

beforeAll(async () => {
  // the receiver first: it needs the suite's callback configuration, which a sandbox serving wecom declares
  const probe = await startMockServer({ vendors: ['wecom'], schedules: { 'wecom/suite-ticket': false } });
  suite = await receiver(probe.providers.wecom!.callback!);
  await probe.close();
  server = await startMockServer({
    vendors: ['wecom'],
    callbackUrls: { suite: suite.url },
    schedules: { 'wecom/suite-ticket': 100 }, // WeCom: every 600 s
    callbackTimeScale: 1000, // re-deliveries after 5 ms instead of 5 s
  });
  wecom = `${server.url}/wecom`;
});
afterAll(async () => {
  await server?.close();
  await suite?.close();
});

/** A suite token from the newest pushed ticket. */
async function suiteToken(): Promise<string> {
  const { SuiteTicket } = await suite.next('suite_ticket');
  const { suiteId, suiteSecret } = server.providers.wecom!.credentials;
  const answer = await post('/cgi-bin/service/get_suite_token', {
    suite_id: suiteId,
    suite_secret: suiteSecret,
    suite_ticket: SuiteTicket,
  });
  expect(answer).toMatchObject({ errcode: 0, suite_access_token: expect.any(String), expires_in: 7200 });
  return answer.suite_access_token;
}

/** Installs the app into a corp and completes the authorization: the corp id, its permanent code and first token. */
async function installCorp(corpName: string, input: Json = {}) {
  const { status, body } = await control('install', { corpName, ...input });
  expect(status).toBe(200);
  expect(body.delivered).toBe(true);
  const created = await suite.next('create_auth');
  expect(created).toMatchObject({ SuiteId: server.providers.wecom!.credentials.suiteId, AuthCode: body.authCode });
  const token = await suiteToken();
  const answer = await post('/cgi-bin/service/get_permanent_code', { auth_code: created.AuthCode }, { suite_access_token: token });
  expect(answer).toMatchObject({ errcode: 0, auth_corp_info: { corpid: body.corpId, corp_name: corpName } });
  return { corpId: body.corpId as string, permanentCode: answer.permanent_code as string, first: answer, suiteToken: token };
}

describe('the sandbox as WeCom for service providers', () => {
  it('pushes suite tickets on its interval, encrypted for the suite (receiver id = suite id), and on demand', async () => {
    const first = await suite.next('suite_ticket');
    const second = await suite.next('suite_ticket');
    expect(first.SuiteId).toBe(server.providers.wecom!.credentials.suiteId);
    expect(second.SuiteTicket).not.toBe(first.SuiteTicket);
    const { body } = await control('suite-ticket');
    expect(body).toMatchObject({ suiteTicket: expect.any(String), delivered: true });
  });

  it('issues a suite token only for the suite id, secret and a ticket it pushed', async () => {
    const { suiteId, suiteSecret } = server.providers.wecom!.credentials;
    const { SuiteTicket } = await suite.next('suite_ticket');
    const ask = (body: Json) => post('/cgi-bin/service/get_suite_token', body);
    expect((await ask({ suite_id: 'ww-other', suite_secret: suiteSecret, suite_ticket: SuiteTicket })).errcode).toBe(40083);
    expect((await ask({ suite_id: suiteId, suite_secret: 'wrong', suite_ticket: SuiteTicket })).errcode).toBe(40080);
    expect((await ask({ suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: 'never-pushed' })).errcode).toBe(40085);
    expect((await ask({ suite_id: suiteId, suite_secret: suiteSecret })).errcode).toBe(41023);
    // suite-token calls: without the token, with a corp token, with a made-up one
    expect((await get('/cgi-bin/service/get_pre_auth_code', {})).errcode).toBe(41022);
    const corpToken = (
      await get('/cgi-bin/gettoken', { corpid: server.credentials.wecom.corpId, corpsecret: server.credentials.wecom.corpSecret })
    ).access_token;
    expect((await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: corpToken })).errcode).toBe(40082);
    const pre = await get('/cgi-bin/service/get_pre_auth_code', { suite_access_token: await suiteToken() });
    expect(pre).toMatchObject({ errcode: 0, pre_auth_code: expect.any(String), expires_in: 1200 });
    // and a suite token is no corp token
    const suiteAsCorp = await get('/cgi-bin/externalcontact/get_follow_user_list', { access_token: await suiteToken() });
    expect(suiteAsCorp.errcode).toBe(40014);
  });

  it('issues a provider token for the provider corp id and secret, carried by provider calls', async () => {
    const { providerCorpId, providerSecret } = server.providers.wecom!.credentials;
    expect((await post('/cgi-bin/service/get_provider_token', { corpid: providerCorpId, provider_secret: 'x' })).errcode).toBe(40001);
    const { provider_access_token } = await post('/cgi-bin/service/get_provider_token', {
      corpid: providerCorpId,
      provider_secret: providerSecret,
    });
    const url = await post('/cgi-bin/service/get_customized_auth_url', { state: 's', templateid_list: ['dk1'] }, { provider_access_token });
    expect(url.errcode).toBe(0);
    const withSuite = await post(
      '/cgi-bin/service/get_customized_auth_url',
      { state: 's', templateid_list: ['dk1'] },
      { provider_access_token: await suiteToken() },
    );
    expect(withSuite.errcode).toBe(40082);
  });

  it('installs into a corp: create_auth → permanent code (once) → corp token that sees only that corp', async () => {
    const a = await installCorp('沙箱甲公司');
    const b = await installCorp('沙箱乙公司');
    expect(a.first.access_token).toEqual(expect.any(String));
    expect(a.first.auth_info.agent[0].is_customized_app).toBe(false);

    // the auth code is usable once
    const again = await post(
      '/cgi-bin/service/get_permanent_code',
      { auth_code: 'sandbox-auth-code-used' },
      { suite_access_token: a.suiteToken },
    );
    expect(again.errcode).toBe(40078);

    // get_corp_token: the corp id and its own permanent code, carrying the suite token
    const corpToken = async (corp: { corpId: string; permanentCode: string }) => {
      const answer = await post(
        '/cgi-bin/service/get_corp_token',
        { auth_corpid: corp.corpId, permanent_code: corp.permanentCode },
        { suite_access_token: await suiteToken() },
      );
      expect(answer).toMatchObject({ errcode: 0, access_token: expect.any(String), expires_in: 7200 });
      return answer.access_token as string;
    };
    expect(
      (
        await post(
          '/cgi-bin/service/get_corp_token',
          { auth_corpid: a.corpId, permanent_code: b.permanentCode },
          { suite_access_token: a.suiteToken },
        )
      ).errcode,
    ).toBe(40084);
    expect((await post('/cgi-bin/service/get_corp_token', { auth_corpid: a.corpId, permanent_code: a.permanentCode })).errcode).toBe(41022);
    const tokenA = await corpToken(a);
    const tokenB = await corpToken(b);

    // each corp has customers of its own
    const list = async (token: string) =>
      (await get('/cgi-bin/externalcontact/list', { access_token: token, userid: 'zhangsan' })).external_userid as string[];
    const customersA = await list(tokenA);
    const customersB = await list(tokenB);
    const selfBuilt = await list(
      (await get('/cgi-bin/gettoken', { corpid: server.credentials.wecom.corpId, corpsecret: server.credentials.wecom.corpSecret }))
        .access_token,
    );
    expect(customersA.length).toBeGreaterThan(0);
    expect(customersB.length).toBeGreaterThan(0);
    expect(customersA.filter((id) => customersB.includes(id) || selfBuilt.includes(id))).toEqual([]);
    // the token of the first get_permanent_code answer works the same
    expect(await list(a.first.access_token)).toEqual(customersA);

    // one corp's customer, read with the other corp's token: unknown there
    const ownRead = await get('/cgi-bin/externalcontact/get', { access_token: tokenA, external_userid: customersA[0]! });
    expect(ownRead).toMatchObject({ errcode: 0, external_contact: { external_userid: customersA[0] } });
    const crossRead = await get('/cgi-bin/externalcontact/get', { access_token: tokenB, external_userid: customersA[0]! });
    expect(crossRead.errcode).toBe(40096);

    // a write in one corp stays there
    const way = await post('/cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 2, user: ['lisi'] }, { access_token: tokenA });
    expect(way.errcode).toBe(0);
    expect((await post('/cgi-bin/externalcontact/get_contact_way', { config_id: way.config_id }, { access_token: tokenA })).errcode).toBe(
      0,
    );
    expect((await post('/cgi-bin/externalcontact/get_contact_way', { config_id: way.config_id }, { access_token: tokenB })).errcode).toBe(
      41044,
    );

    // a third-party corp's permanent code is no gettoken secret
    expect((await get('/cgi-bin/gettoken', { corpid: a.corpId, corpsecret: a.permanentCode })).errcode).toBe(40013);
  });

  it('cancel_auth: the corp is told about, its tokens and permanent code stop working', async () => {
    const a = await installCorp('沙箱丙公司');
    const token = a.first.access_token as string;
    expect((await get('/cgi-bin/externalcontact/get_follow_user_list', { access_token: token })).errcode).toBe(0);
    const { body } = await control('cancel-auth', { corpId: a.corpId });
    expect(body.delivered).toBe(true);
    expect(await suite.next('cancel_auth')).toMatchObject({ AuthCorpId: a.corpId });
    expect((await get('/cgi-bin/externalcontact/get_follow_user_list', { access_token: token })).errcode).toBe(40014);
    const corp = await post(
      '/cgi-bin/service/get_corp_token',
      { auth_corpid: a.corpId, permanent_code: a.permanentCode },
      { suite_access_token: a.suiteToken },
    );
    expect(corp.errcode).toBe(40084);
    expect((await control('cancel-auth', { corpId: a.corpId })).status).toBe(404);
  });

  it('代开发: the permanent code is the secret of gettoken for that corp, and get_corp_token refuses it', async () => {
    const c = await installCorp('沙箱代开发公司', { customized: true, state: 'from-qr' });
    expect(c.first.access_token).toBeUndefined();
    expect(c.first.state).toBe('from-qr');
    expect(c.first.auth_info.agent[0].is_customized_app).toBe(true);
    expect((await get('/cgi-bin/gettoken', { corpid: c.corpId, corpsecret: 'wrong' })).errcode).toBe(40001);
    const { access_token } = await get('/cgi-bin/gettoken', { corpid: c.corpId, corpsecret: c.permanentCode });
    const follow = await get('/cgi-bin/externalcontact/list', { access_token, userid: 'lisi' });
    expect(follow.errcode).toBe(0);
    const viaSuite = await post(
      '/cgi-bin/service/get_corp_token',
      { auth_corpid: c.corpId, permanent_code: c.permanentCode },
      { suite_access_token: c.suiteToken },
    );
    expect(viaSuite.errcode).toBe(40084);
  });

  it('sends instruction callbacks through the callbacks module: recorded on channel suite, re-sent until acknowledged', async () => {
    suite.failing.create_auth = 1;
    const { body } = await control('install', { corpName: '沙箱重发公司' });
    // the first attempt got a 500: not delivered at once, delivered by the re-delivery
    expect(body.delivered).toBe(false);
    expect(await suite.next('create_auth')).toMatchObject({ AuthCode: body.authCode });
    await server.callbacksSettled();
    const record = server
      .callbackDeliveries()
      .reverse()
      .find((r) => r.event === 'create_auth');
    expect(record).toMatchObject({
      vendor: 'wecom',
      channel: 'suite',
      url: suite.url,
      state: 'delivered',
      attempts: [{ status: 500 }, { status: 200 }],
    });
    expect(server.callbackDeliveries().some((r) => r.event === 'suite_ticket' && r.channel === 'suite')).toBe(true);
  });

  it("a customer added in an installed corp: the third-party change_external_contact on the suite's URL", async () => {
    const a = await installCorp('沙箱丁公司');
    const { status, body } = await control('customers', { corpId: a.corpId, userid: 'lisi', state: 'from-suite' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ corpId: a.corpId, delivered: true });
    const notice = await suite.next('change_external_contact');
    expect(notice).toMatchObject({
      SuiteId: server.providers.wecom!.credentials.suiteId,
      AuthCorpId: a.corpId,
      ChangeType: 'add_external_contact',
      UserID: 'lisi',
      ExternalUserID: body.externalUserId,
      State: 'from-suite',
      TimeStamp: expect.stringMatching(/^\d+$/),
    });
    // the third-party form: no self-built envelope
    for (const field of ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event']) expect(notice).not.toHaveProperty(field);
    // and the customer is in that corp only
    const detail = await get('/cgi-bin/externalcontact/get', { access_token: a.first.access_token, external_userid: body.externalUserId });
    expect(detail.errcode).toBe(0);
  });

  it('pushes no suite tickets on a timer when it has no instruction callback URL', async () => {
    const quiet = await startMockServer({ vendors: ['wecom'], schedules: { 'wecom/suite-ticket': 20 } });
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(quiet.callbackDeliveries()).toEqual([]);
      // on demand, a ticket is still issued (shown in the answer) and recorded as not sent
      expect(await quiet.act('wecom', 'suite-ticket')).toMatchObject({ suiteTicket: expect.any(String), delivered: false });
      expect(quiet.callbackDeliveries()).toMatchObject([{ event: 'suite_ticket', channel: 'suite', state: 'not-sent' }]);
    } finally {
      await quiet.close();
    }
  });

  it('refuses control inputs it cannot act on', async () => {
    expect((await control('install', { corpId: server.credentials.wecom.corpId })).status).toBe(409);
    expect((await control('install', { preAuthCode: 'never-issued' })).status).toBe(400);
    expect((await control('cancel-auth', {})).status).toBe(400);
    expect((await control('cancel-auth', { corpId: 'wwnosuchcorp' })).status).toBe(404);
  });
});
