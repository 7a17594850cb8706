// The 服务商 page of the demo: the sandbox's third-party app installed into two corps, and each corp called with its
// own token. Until the provider runtime (createWecomProvider, forCorp, completeAuthorization) is released, this uses
// the plain WeCom client: the suite token and the permanent codes come from the provider endpoints, and each corp gets
// a createWecomClient whose token comes from get_corp_token (third-party) or from gettoken with the permanent code as
// the secret (代开发). Secrets stay on this server; the page sees corp ids, names and customers only.
import { createWecomClient } from '@scrm-openapi/wecom';
import { createWecomCallback } from '@scrm-openapi/wecom/callback';

/** Registers `/wecom/suite-callback` (the app's 指令回调 URL) and `/api/providers/*` on the demo's Fastify app. */
export function registerProviders(app, { sandbox, publish }) {
  const provider = sandbox?.providers?.wecom;
  if (!provider?.callback) return { enabled: false };
  const base = `${sandbox.url}/wecom`;
  const receiver = createWecomCallback(provider.callback);
  // what a provider keeps: the newest ticket (shared storage), and per corp its permanent code (its database)
  let ticket;
  const authCodes = [];
  const corps = new Map();
  const waiting = new Set();

  app.post('/wecom/suite-callback', async (req, reply) => {
    try {
      const { event } = await receiver.parse(req.query, req.body ?? '');
      if (event.InfoType === 'suite_ticket') ticket = event.SuiteTicket;
      else publish('callback', { key: `suite.${event.InfoType}`, event: { ...event, SuiteTicket: undefined } });
      if (event.InfoType === 'create_auth') authCodes.push(event.AuthCode);
      for (const wake of waiting) wake();
      return reply.type('text/plain').send('success');
    } catch (error) {
      publish('callback-rejected', { reason: error.reason ?? 'error' });
      return reply.code(error.status ?? 400).send(error.reason ?? 'rejected');
    }
  });

  const until = async (check, ms = 5000) => {
    const deadline = Date.now() + ms;
    for (let value = check(); ; value = check()) {
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('the sandbox sent no instruction callback in time');
      await new Promise((resolve) => {
        const wake = () => {
          waiting.delete(wake);
          resolve();
        };
        waiting.add(wake);
        setTimeout(wake, 100);
      });
    }
  };
  const control = async (action, input = {}) => {
    const res = await fetch(`${sandbox.url}/_control/wecom/${action}`, { method: 'POST', body: JSON.stringify(input) });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error ?? `control ${action} failed`);
    return body;
  };
  // provider-level calls through the plain client: these operations carry no managed token (x-scrm-token: suite)
  const plain = createWecomClient({ ...sandbox.credentials.wecom, baseUrl: base });
  const unwrapped = (result, what) => {
    if (result.error) throw Object.assign(new Error(`${what}: ${result.error.errcode} ${result.error.errmsg}`), { body: result.error });
    return result.data;
  };
  const suiteToken = async () => {
    if (!ticket) await control('suite-ticket');
    await until(() => ticket);
    const { suiteId, suiteSecret } = provider.credentials;
    const data = unwrapped(
      await plain.request('POST', '/cgi-bin/service/get_suite_token', {
        body: { suite_id: suiteId, suite_secret: suiteSecret, suite_ticket: ticket },
      }),
      'get_suite_token',
    );
    return data.suite_access_token;
  };

  /** A client for one corp: the same typed WecomClient, whose token is that corp's. */
  const clientFor = (corp) => {
    if (corp.customized) return createWecomClient({ corpId: corp.corpId, corpSecret: corp.permanentCode, baseUrl: base });
    // third-party: the client's token request is answered by get_corp_token with this corp's permanent code
    const corpTokenFetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname.endsWith('/cgi-bin/gettoken'))
        return fetch(`${base}/cgi-bin/service/get_corp_token?suite_access_token=${encodeURIComponent(await suiteToken())}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ auth_corpid: corp.corpId, permanent_code: corp.permanentCode }),
        });
      return fetch(request);
    };
    return createWecomClient({ corpId: corp.corpId, corpSecret: 'from-get_corp_token', baseUrl: base, fetch: corpTokenFetch });
  };

  /** An administrator installs the app; the create_auth notice's code is exchanged for the permanent code. */
  app.post('/api/providers/install', async (req, reply) => {
    try {
      const { corpName = '演示企业', customized = false } = req.body ?? {};
      const before = authCodes.length;
      const installed = await control('install', { corpName: String(corpName).slice(0, 30), customized: Boolean(customized) });
      const authCode = await until(() => authCodes[before]);
      const data = unwrapped(
        await plain.request('POST', '/cgi-bin/service/get_permanent_code', {
          params: { query: { suite_access_token: await suiteToken() } },
          body: { auth_code: authCode },
        }),
        'get_permanent_code',
      );
      const corp = {
        corpId: data.auth_corp_info.corpid,
        corpName: data.auth_corp_info.corp_name,
        customized: Boolean(customized),
        permanentCode: data.permanent_code, // a long-lived secret: encrypted in a real database
      };
      corps.set(corp.corpId, { ...corp, client: clientFor(corp) });
      publish('provider', { corpName: corp.corpName, corpId: corp.corpId, delivered: installed.delivered });
      return { corpId: corp.corpId, corpName: corp.corpName, customized: corp.customized };
    } catch (error) {
      return reply.code(502).send({ error: { message: error.message } });
    }
  });

  /** One corp's customers of a member, read with that corp's own token. */
  app.get('/api/providers/:corpId/customers', async (req, reply) => {
    const corp = corps.get(req.params.corpId);
    if (!corp) return reply.code(404).send({ error: { message: 'this corp has not installed the app' } });
    try {
      const userid = String(req.query.userid ?? 'zhangsan');
      const list = unwrapped(
        await corp.client.GET('/cgi-bin/externalcontact/list', { params: { query: { userid } } }),
        'externalcontact/list',
      );
      const ids = (list.external_userid ?? []).slice(0, 3);
      const details = await Promise.all(
        ids.map(async (id) =>
          unwrapped(
            await corp.client.GET('/cgi-bin/externalcontact/get', { params: { query: { external_userid: id } } }),
            'externalcontact/get',
          ),
        ),
      );
      return {
        corpId: corp.corpId,
        corpName: corp.corpName,
        total: (list.external_userid ?? []).length,
        customers: details.map((d) => ({ external_userid: d.external_contact.external_userid, name: d.external_contact.name })),
      };
    } catch (error) {
      return reply.code(502).send({ error: { message: error.message } });
    }
  });

  app.get('/api/providers', async () => ({
    corps: [...corps.values()].map(({ corpId, corpName, customized }) => ({ corpId, corpName, customized })),
  }));
  return { enabled: true };
}
