// The demo app: a small Fastify server that uses the @scrm-openapi clients exactly as a customer would. Secrets stay
// here, on the server; the page only talks to /api/*. Against the sandbox by default; set a vendor's environment
// variables (see .env.example) to use the real vendor instead.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import QRCode from 'qrcode';
import { vendors as REGISTRY } from '@scrm-openapi/vendors';
import { isScrmError, isWecomError, unwrap, wecomErrors } from '@scrm-openapi/wecom';
import { createWecomCallback } from '@scrm-openapi/wecom/callback';
import { registerProviders } from './providers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const INDEX = readFileSync(path.join(here, 'public', 'index.html'), 'utf8');
const PROVIDERS = readFileSync(path.join(here, 'public', 'providers.html'), 'utf8');
const I18N = readFileSync(path.join(here, 'public', 'i18n.mjs'), 'utf8');

/**
 * Which credentials each client uses: the vendor's from the environment when every required one is set (the names
 * come from the spec's x-scrm-auth: WECOM_CORP_ID, JIJYUN_API_KEY …), else the sandbox's.
 */
export function resolveConfig(env, sandbox) {
  const vendors = {};
  for (const v of REGISTRY.filter((v) => v.clientPackage)) {
    const real = v.credentials.every((c) => !c.required || env[c.env])
      ? Object.fromEntries(v.credentials.filter((c) => env[c.env]).map((c) => [c.option, env[c.env]]))
      : {};
    if (Object.keys(real).length) vendors[v.name] = { mode: 'vendor', options: real };
    else if (sandbox?.credentials[v.name])
      vendors[v.name] = { mode: 'sandbox', options: { ...sandbox.credentials[v.name], baseUrl: `${sandbox.url}/${v.name}` } };
  }
  const callback =
    env.WECOM_CALLBACK_TOKEN && env.WECOM_CALLBACK_AES_KEY && env.WECOM_CORP_ID
      ? { token: env.WECOM_CALLBACK_TOKEN, encodingAESKey: env.WECOM_CALLBACK_AES_KEY, receiveId: env.WECOM_CORP_ID }
      : sandbox?.callbacks.wecom;
  return { vendors, callback, sandboxUrl: sandbox?.url };
}

/** How many attempts a call makes at most (the first one and its retries): the demo's clients retry twice. */
export const MAX_ATTEMPTS = 3;

/**
 * An error as the page shows it, once: its kind, the vendor's code with the vendor's own name for it and its meaning
 * (from the spec's x-scrm-errors, for WeCom), and the action the SDK took. Nothing secret: no URL, no token.
 */
export function explainError(error) {
  if (!isScrmError(error)) return { name: 'Error', message: 'unexpected error' };
  const known = isWecomError(error) ? wecomErrors[String(error.code)] : undefined;
  return {
    name: error.name,
    code: error.code,
    vendorMessage: error.vendorMessage,
    status: error.status ?? error.httpStatus,
    operation: error.operation,
    // vendor codes carry the runtime's action; other errors were retried when retryable, until the attempts ran out
    action: error.action ?? (error.retryable ? 'retried' : 'fail'),
    retryable: error.retryable,
    vendorName: known?.name,
    meaning: known?.meaning,
    message: error.message,
  };
}
const safeError = explainError;

/** Starts the demo. `sandbox` is a running mock server (or undefined when every vendor is configured for real). */
export async function startDemo({ port = 4000, host = '127.0.0.1', sandbox, env = process.env, links = {} } = {}) {
  const config = resolveConfig(env, sandbox);
  const feed = new EventEmitter();
  feed.setMaxListeners(100);
  const publish = (type, payload) => feed.emit('event', { type, at: new Date().toISOString(), ...payload });
  const onEvent = (vendor) => (event) => publish('client', { vendor, event });
  const common = (vendor) => ({
    onEvent: onEvent(vendor),
    retry: { maxRetries: MAX_ATTEMPTS - 1, baseDelayMs: 200, throttleDelayMs: 500 },
    timeoutMs: 5000,
  });
  const clients = Object.fromEntries(
    await Promise.all(
      REGISTRY.filter((v) => config.vendors[v.name]).map(async (v) => [
        v.name,
        (await import(v.clientPackage))[v.factory]({ ...config.vendors[v.name].options, ...common(v.name) }),
      ]),
    ),
  );
  const callback = config.callback && createWecomCallback(config.callback);

  const app = Fastify({ logger: false });
  app.addContentTypeParser(['text/xml', 'application/xml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const run = async (reply, fn) => {
    try {
      return await fn();
    } catch (error) {
      return reply.code(502).send({ error: safeError(error) });
    }
  };
  const answer = (reply, result) => {
    if (result.error) return reply.code(502).send({ error: { name: 'ScrmApiError', body: result.error } });
    return result.data;
  };

  app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(INDEX));
  // 服务商: the sandbox's third-party app installed into corps, each called with its own token (./providers.mjs)
  const providers = registerProviders(app, { sandbox, publish });
  app.get('/providers', (_req, reply) => reply.type('text/html; charset=utf-8').send(PROVIDERS));
  app.get('/i18n.mjs', (_req, reply) => reply.type('text/javascript; charset=utf-8').send(I18N));
  app.get('/api/config', async () => ({
    vendors: Object.fromEntries(Object.entries(config.vendors).map(([k, v]) => [k, v.mode])),
    sandbox: Boolean(config.sandboxUrl),
    sandboxUrl: config.sandboxUrl,
    docsUrl: links.docs,
    callbacks: Boolean(callback),
    providers: providers.enabled,
    maxAttempts: MAX_ATTEMPTS,
  }));

  // (a) 「联系我」 QR codes through WeCom or Juzibot, rendered as an image, listed with pagination
  app.post('/api/:vendor/contact-ways', async (req, reply) =>
    run(reply, async () => {
      const { vendor } = req.params;
      const { user = 'zhangsan', remark = '', state } = req.body ?? {};
      const body = {
        type: 1,
        scene: 2,
        user: [String(user)],
        ...(remark ? { remark: String(remark).slice(0, 30) } : {}),
        ...(state ? { state: String(state).slice(0, 30) } : {}),
      };
      const path = vendor === 'juzibot' ? '/api/v1/contactWay/add' : '/cgi-bin/externalcontact/add_contact_way';
      const client = clients[vendor === 'juzibot' ? 'juzibot' : 'wecom'];
      if (!client) return reply.code(400).send({ error: { name: 'ConfigError', message: `${vendor} is not configured` } });
      const data = answer(reply, await client.POST(path, { body }));
      if (!data?.config_id) return data;
      const qr = data.qr_code ? await QRCode.toDataURL(data.qr_code, { margin: 1, width: 220 }) : undefined;
      return { config_id: data.config_id, qr_code: data.qr_code, qr_image: qr };
    }),
  );
  app.get('/api/wecom/contact-ways', async (req, reply) =>
    run(reply, async () => {
      const limit = Math.min(Number(req.query.limit) || 5, 100);
      const data = answer(
        reply,
        await clients.wecom.POST('/cgi-bin/externalcontact/list_contact_way', {
          body: { limit, ...(req.query.cursor ? { cursor: String(req.query.cursor) } : {}) },
        }),
      );
      if (!data?.contact_way) return data;
      const items = await Promise.all(
        data.contact_way.map(
          async (w) =>
            (await clients.wecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: w.config_id } })).data
              ?.contact_way ?? w,
        ),
      );
      return { items, next_cursor: data.next_cursor ?? '' };
    }),
  );

  // (a') the members behind the follow users: 通讯录 user/get for names, department/list for department names
  app.get('/api/wecom/follow-members', async (_req, reply) =>
    run(reply, async () => {
      const follow = answer(reply, await clients.wecom.GET('/cgi-bin/externalcontact/get_follow_user_list'));
      if (!follow?.follow_user) return follow;
      const tree = answer(reply, await clients.wecom.GET('/cgi-bin/department/list', {}));
      if (!tree?.department) return tree;
      const names = new Map(tree.department.map((d) => [d.id, d.name ?? String(d.id)]));
      const items = await Promise.all(
        follow.follow_user.map(async (userid) => {
          const { data, error } = await clients.wecom.GET('/cgi-bin/user/get', { params: { query: { userid } } });
          if (!data) return { userid, error: { code: error?.errcode, message: error?.errmsg } };
          return { userid, name: data.name ?? '', departments: (data.department ?? []).map((id) => names.get(id) ?? String(id)) };
        }),
      );
      return { items };
    }),
  );

  // (b) contact look-ups: Weiling batch detail and Jijyun contact detail
  app.get('/api/weiling/contacts', async (req, reply) =>
    run(reply, async () => {
      const ids = String(req.query.ids ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .slice(0, 100);
      const data = answer(reply, await clients.weiling.POST('/openapi/contact/batch', { body: { contact_ids: ids } }));
      return data?.data ?? data;
    }),
  );
  app.get('/api/jijyun/contacts', async (req, reply) =>
    run(reply, async () => {
      const data = answer(
        reply,
        await clients.jijyun.GET('/v1/openapi/contacts', { params: { query: { contact_id: String(req.query.id ?? '') } } }),
      );
      return data?.Data ?? data;
    }),
  );

  // (c) WeCom callbacks: verified and decrypted here, pushed to the page as typed events
  app.get('/wecom/callback', async (req, reply) => {
    try {
      return reply.type('text/plain').send(callback.verifyUrl(req.query));
    } catch (error) {
      return reply.code(error.status ?? 400).send(error.reason ?? 'rejected');
    }
  });
  app.post('/wecom/callback', async (req, reply) => {
    try {
      const { key, event } = await callback.parse(req.query, req.body ?? '');
      publish('callback', { key, event });
      return reply.type('text/plain').send('success');
    } catch (error) {
      publish('callback-rejected', { reason: error.reason ?? 'error' });
      return reply.code(error.status ?? 400).send(error.reason ?? 'rejected');
    }
  });
  app.post('/api/sandbox/customers', async (_req, reply) => {
    if (!config.sandboxUrl) return reply.code(400).send({ error: { message: 'only with the sandbox' } });
    const res = await fetch(`${config.sandboxUrl}/_control/wecom/customers`, { method: 'POST', body: JSON.stringify({ state: 'demo' }) });
    return res.json();
  });

  // (d) one run: the sandbox's fault queue cleared, `failures` faults queued for get_follow_user_list, one call made;
  // the answer holds every client event of the call (attempts, retries, the token refresh) and its outcome, once.
  // Faults the call did not use are cleared too, so nothing is left over for the next click.
  let running = Promise.resolve();
  app.post('/api/faults/run', async (req, reply) => {
    if (!config.sandboxUrl) return reply.code(400).send({ error: { message: 'only with the sandbox' } });
    const { kind = 'busy', failures = 1 } = req.body ?? {};
    const count = Number(failures);
    if (!Number.isInteger(count) || count < 0 || count > MAX_ATTEMPTS)
      return reply.code(400).send({ error: { message: `failures: an integer from 0 to ${MAX_ATTEMPTS}` } });
    const control = (method, body) =>
      fetch(`${config.sandboxUrl}/_control/faults`, { method, ...(body ? { body: JSON.stringify(body) } : {}) }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
    // one run at a time: the sandbox's fault queue is shared
    const previous = running;
    let done;
    running = new Promise((r) => {
      done = r;
    });
    await previous;
    const events = [];
    // the call's own attempts and the token refresh (the refresh's gettoken request is folded into its event)
    const listener = (e) =>
      e.type === 'client' &&
      e.vendor === 'wecom' &&
      (e.event.type === 'token-refresh' || e.event.operation === 'getFollowUserList') &&
      events.push(e.event);
    try {
      await control('DELETE');
      if (count > 0) {
        const queued = await control('POST', { vendor: 'wecom', operation: 'getFollowUserList', kind, count });
        if (queued.status !== 200) return reply.code(400).send({ error: queued.body });
      }
      feed.on('event', listener);
      let outcome;
      try {
        outcome = { ok: true, data: await unwrap(clients.wecom.GET('/cgi-bin/externalcontact/get_follow_user_list')) };
      } catch (error) {
        outcome = { ok: false, error: explainError(error) };
      }
      feed.off('event', listener);
      const left = await control('DELETE');
      return { kind, failures: count, maxAttempts: MAX_ATTEMPTS, events, outcome, unusedFaults: left.body.cleared ?? 0 };
    } finally {
      feed.off('event', listener);
      done();
    }
  });

  // the live feed (server-sent events)
  app.get('/api/events', (req, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const listener = (event) => reply.raw.write(`data: ${JSON.stringify(event)}\n\n`);
    feed.on('event', listener);
    req.raw.on('close', () => feed.off('event', listener));
  });

  await app.listen({ port, host });
  const address = app.server.address();
  return { url: `http://${host}:${address.port}`, config, close: () => app.close() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { startMockServer } = await import('@scrm-openapi/mock-server');
  const port = Number(process.env.DEMO_PORT ?? 4000);
  const sandbox = await startMockServer({
    port: Number(process.env.SANDBOX_PORT ?? 0),
    callbackUrl: `http://127.0.0.1:${port}/wecom/callback`,
    callbackUrls: { suite: `http://127.0.0.1:${port}/wecom/suite-callback` },
  });
  const demo = await startDemo({ port, sandbox });
  console.log(`沙箱首页 sandbox front page: ${sandbox.url}/`);
  console.log(`demo: ${demo.url}\nsandbox: ${sandbox.url}`);
}
