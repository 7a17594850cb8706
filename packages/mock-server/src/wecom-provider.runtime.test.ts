// The whole 服务商 flow as a user runs it, against the sandbox: createWecomProvider + createWecomProviderCallback
// receive the pushed suite_ticket, an administrator installs the app (create_auth → permanent code saved), and
// provider.forCorp() calls 客户联系 for each installed corp with that corp's own token; cancel_auth ends it.
import { createServer, type Server } from 'node:http';
import {
  createWecomProvider,
  isWecomError,
  MemoryPermanentCodeStore,
  ScrmAuthorizationError,
  type WecomProvider,
  unwrap,
} from '@scrm-openapi/wecom';
import { createWecomProviderCallback, type WecomProviderEvent } from '@scrm-openapi/wecom/callback';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './index.js';

let server: MockServer;
let http: Server;
let provider: WecomProvider;
const codes = new MemoryPermanentCodeStore();
const events: WecomProviderEvent[] = [];

/** Waits until `test` holds (the sandbox pushes callbacks after answering). */
async function until(test: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const control = async (action: string, input: unknown) => {
  const res = await fetch(`${server.url}/_control/wecom/${action}`, { method: 'POST', body: JSON.stringify(input) });
  expect(res.status, action).toBe(200);
  return (await res.json()) as Record<string, unknown>;
};

beforeAll(async () => {
  // the instruction-callback URL: the provider's own router, as a user mounts it
  let router: ReturnType<typeof createWecomProviderCallback> | undefined;
  http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
    try {
      if (!router) throw new Error('not ready');
      await router.handle(query, Buffer.concat(chunks));
      res.end('success');
    } catch {
      res.statusCode = 500;
      res.end('failed');
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server = await startMockServer({
    vendors: ['wecom'],
    callbackUrls: { suite: `http://127.0.0.1:${port}/suite` },
    schedules: { 'wecom/suite-ticket': 200 },
    callbackTimeScale: 1000,
  });
  const { suiteId, suiteSecret } = server.providers.wecom!.credentials;
  const { token, encodingAESKey } = server.providers.wecom!.callback!;
  provider = createWecomProvider({
    suiteId: suiteId!,
    suiteSecret: suiteSecret!,
    permanentCodeStore: codes,
    baseUrl: `${server.url}/wecom`,
    retry: false,
  });
  router = createWecomProviderCallback(provider, { token, encodingAESKey, onEvent: (e) => void events.push(e) });
});
afterAll(async () => {
  await server?.close();
  await new Promise<void>((r) => (http ? http.close(() => r()) : r()));
});

describe('createWecomProvider against the sandbox', () => {
  it('installs into two corps from create_auth and calls each with its own token; cancel_auth revokes one', async () => {
    await until(() => events.some((e) => e.key === 'suite_ticket'), 'the first suite_ticket');

    await control('install', { corpId: 'wwcorpalpha00000001', corpName: '甲公司' });
    await control('install', { corpId: 'wwcorpbeta000000002', corpName: '乙公司' });
    await until(() => events.filter((e) => e.key === 'create_auth').length === 2, 'two create_auth notices');
    expect((await codes.get(provider.suiteId, 'wwcorpalpha00000001'))?.permanentCode).toEqual(expect.any(String));

    // each corp sees its own customers only: a customer added to alpha is not in beta's list
    await control('customers', { corpId: 'wwcorpalpha00000001' });
    const alpha = provider.forCorp('wwcorpalpha00000001');
    const beta = provider.forCorp('wwcorpbeta000000002');
    const [followA] = unwrap(await alpha.GET('/cgi-bin/externalcontact/get_follow_user_list')).follow_user;
    const listA = unwrap(await alpha.GET('/cgi-bin/externalcontact/list', { params: { query: { userid: followA! } } }));
    const listB = unwrap(await beta.GET('/cgi-bin/externalcontact/list', { params: { query: { userid: followA! } } }));
    expect(listA.external_userid.length).toBeGreaterThan(0);
    expect(listA.external_userid.filter((id) => listB.external_userid.includes(id))).toEqual([]);

    // the administrator of beta removes the app: the router drops beta, and its calls fail as not authorized
    await control('cancel-auth', { corpId: 'wwcorpbeta000000002' });
    await until(() => events.some((e) => e.key === 'cancel_auth'), 'cancel_auth');
    expect(await codes.get(provider.suiteId, 'wwcorpbeta000000002')).toBeUndefined();
    const after = provider.forCorp('wwcorpbeta000000002');
    const refused = await after.GET('/cgi-bin/externalcontact/get_follow_user_list').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused instanceof ScrmAuthorizationError || isWecomError(refused)).toBe(true);
    // alpha still works
    expect(unwrap(await alpha.GET('/cgi-bin/externalcontact/get_follow_user_list')).follow_user.length).toBeGreaterThan(0);
  });
});
