// Further token kinds as a multi-tenant app meets them: the kind an operation carries is injected where the profile
// says, a tenant's token comes from a request that itself carries another kind, every token is fetched once however
// many calls wait for it, and each lives under a store key naming its kind, app and tenant — tenants never mixed.
import { describe, expect, it } from 'vitest';
import { createScrmClient } from '../client.js';
import { ScrmApiError, ScrmAuthorizationError, ScrmConfigError } from '../errors.js';
import type { VendorProfile } from '../profile.js';
import { createFakeFetch, type FakeCall } from '../testing.js';
import { MemoryTokenStore, type TokenStore } from '../token.js';
import { createTokenSource, routeCredentials, type TokenSource } from './kinds.js';

const profile: VendorProfile = {
  vendor: 'acme',
  baseUrl: 'https://api.acme.invalid',
  envelope: { code: 'errcode', message: 'errmsg', success: [0], codeOptional: true },
  auth: {
    type: 'token-endpoint',
    kind: 'corp',
    method: 'GET',
    path: '/gettoken',
    operationId: 'getToken',
    credentialsIn: 'query',
    credentials: { corpid: 'corpId', corpsecret: 'corpSecret' },
    secrets: ['corpsecret'],
    token: { field: 'access_token', expiresIn: 'expires_in', defaultTtlSeconds: 7200 },
    inject: { in: 'query', name: 'access_token' },
    refreshOn: [40014],
  },
  tokens: {
    suite: {
      method: 'POST',
      path: '/suite/token',
      operationId: 'getSuiteToken',
      credentialsIn: 'body',
      credentials: { suite_id: 'suiteId', suite_secret: 'suiteSecret', suite_ticket: 'suiteTicket' },
      secrets: ['suite_secret', 'suite_ticket'],
      token: { field: 'suite_access_token', expiresIn: 'expires_in', defaultTtlSeconds: 7200 },
      inject: { in: 'query', name: 'suite_access_token' },
      refreshOn: [42009],
    },
    'suite-corp': {
      method: 'POST',
      path: '/suite/corp_token',
      operationId: 'getCorpToken',
      credentialsIn: 'body',
      credentials: { auth_corpid: 'authCorpId', permanent_code: 'permanentCode' },
      secrets: ['permanent_code'],
      token: { field: 'access_token', expiresIn: 'expires_in', defaultTtlSeconds: 7200 },
      refreshOn: [40014],
      provides: 'corp',
      carries: 'suite',
    },
  },
  errorActions: { '40014': 'refresh-token', '42009': 'refresh-token' },
  operations: {
    'POST /suite/token': { id: 'getSuiteToken', idempotent: true, authenticated: false },
    'POST /suite/corp_token': { id: 'getCorpToken', idempotent: true, authenticated: false, token: 'suite' },
    'GET /suite/pre_auth_code': { id: 'getPreAuthCode', idempotent: true, authenticated: false, token: 'suite' },
    'GET /user/list': { id: 'listUsers', idempotent: true },
  },
  secretParams: ['access_token', 'suite_access_token', 'suite_secret', 'suite_ticket', 'permanent_code', 'corpsecret'],
};

const SUITE_SECRET = 'suite-SECRET-do-not-leak-0001';
const codeOf = (corp: string) => `PERMANENT-code-of-${corp}`;

/** A fake vendor: numbered suite tokens, corp tokens naming their corp, business calls answered with the token seen. */
function fakeVendor(options: { refuse?: (call: FakeCall) => Record<string, unknown> | undefined } = {}) {
  let suiteTokens = 0;
  const corpTokens = new Map<string, number>();
  const fetch = createFakeFetch((call) => {
    const refused = options.refuse?.(call);
    if (refused) return refused;
    if (call.path === '/suite/token') return { errcode: 0, suite_access_token: `SUITE-TOKEN-${++suiteTokens}`, expires_in: 7200 };
    if (call.path === '/suite/corp_token') {
      const { auth_corpid, permanent_code } = call.body as { auth_corpid: string; permanent_code: string };
      if (permanent_code !== codeOf(auth_corpid)) return { errcode: 40084, errmsg: 'invalid permanent_code' };
      const n = (corpTokens.get(auth_corpid) ?? 0) + 1;
      corpTokens.set(auth_corpid, n);
      // no errcode on success, like WeCom's get_corp_token
      return { access_token: `CORP-TOKEN-${auth_corpid}-${n}`, expires_in: 7200 };
    }
    return { errcode: 0, seen: call.query };
  });
  return { fetch, calls: (path: string) => fetch.calls.filter((c) => c.path === path) };
}

type Api = {
  GET(path: string, init?: unknown): Promise<{ data?: { seen?: Record<string, string> }; error?: unknown }>;
};

/** A provider: one suite source and one client per tenant, all sharing `store` and sending token requests through the app client. */
function provider(fetch: typeof globalThis.fetch, store: TokenStore = new MemoryTokenStore(), ticket: () => string = () => 'TICKET-1') {
  let suite: TokenSource | undefined;
  let send: Parameters<NonNullable<Parameters<typeof createScrmClient>[3]>['credentials'] & object>[0]['send'] | undefined;
  const options = { fetch, tokenStore: store, retry: { baseDelayMs: 1 } };
  const app = createScrmClient(profile, {}, options, {
    managedKinds: ['suite'],
    credentials: (transport) => {
      send = transport.send;
      suite = createTokenSource({
        profile,
        kind: 'suite',
        app: 'suite-1',
        values: { suiteId: 'suite-1', suiteSecret: SUITE_SECRET, suiteTicket: ticket },
        baseUrl: transport.baseUrl,
        send: transport.send,
        store,
        redactor: transport.redactor,
      });
      return routeCredentials('acme', { kinds: { suite } }, transport.redactor);
    },
  }) as unknown as Api;
  const corps = new Map<string, TokenSource>();
  const forCorp = (corp: string, code: () => string = () => codeOf(corp)) =>
    createScrmClient(profile, {}, options, {
      managedKinds: ['suite'],
      throttleScope: corp,
      credentials: (transport) => {
        const source = createTokenSource({
          profile,
          kind: 'suite-corp',
          app: 'suite-1',
          tenant: corp,
          values: { authCorpId: corp, permanentCode: code },
          baseUrl: transport.baseUrl,
          send: send!,
          store,
          mapError: (error) =>
            error instanceof ScrmApiError && error.code === 40084
              ? new ScrmAuthorizationError({ reason: 'revoked', appId: 'suite-1', tenantId: corp, code: error.code }, { vendor: 'acme' })
              : error,
        });
        corps.set(corp, source);
        return routeCredentials('acme', { fallback: source, kinds: { suite: suite! } }, transport.redactor);
      },
    }) as unknown as Api;
  return { app, forCorp, suite: () => suite!, corps };
}

describe('the kind an operation carries', () => {
  it('gets the suite token where the profile says, fetched with the ticket read at fetch time', async () => {
    const vendor = fakeVendor();
    const p = provider(vendor.fetch);
    const { data } = await p.app.GET('/suite/pre_auth_code');
    expect(data?.seen).toEqual({ suite_access_token: 'SUITE-TOKEN-1' });
    expect(vendor.calls('/suite/token')[0]?.body).toEqual({ suite_id: 'suite-1', suite_secret: SUITE_SECRET, suite_ticket: 'TICKET-1' });
  });

  it("gets a tenant's corp token from the request that carries the suite token, injected as the default kind", async () => {
    const vendor = fakeVendor();
    const p = provider(vendor.fetch);
    const { data } = await p.forCorp('corpA').GET('/user/list');
    expect(data?.seen).toEqual({ access_token: 'CORP-TOKEN-corpA-1' });
    const corpToken = vendor.calls('/suite/corp_token')[0]!;
    expect(corpToken.method).toBe('POST');
    expect(corpToken.query).toEqual({ suite_access_token: 'SUITE-TOKEN-1' });
    expect(corpToken.body).toEqual({ auth_corpid: 'corpA', permanent_code: codeOf('corpA') });
  });

  it('refuses, before sending, a call of a kind the client does not manage', async () => {
    const vendor = fakeVendor();
    const p = provider(vendor.fetch);
    // the app client manages only the suite kind: a corp operation has no token to carry
    await expect(p.app.GET('/user/list')).rejects.toThrow(ScrmConfigError);
    // a plain client manages none: the caller passes the suite token, or is told to
    const plain = createScrmClient(profile, { corpId: 'c', corpSecret: 'corp-secret-0001' }, { fetch: vendor.fetch }) as unknown as Api;
    await expect(plain.GET('/suite/pre_auth_code')).rejects.toThrow(
      /getPreAuthCode carries the suite token \(suite_access_token\).*params\.query\.suite_access_token/,
    );
    expect(vendor.fetch.calls).toEqual([]);
    const { data } = await plain.GET('/suite/pre_auth_code', { params: { query: { suite_access_token: 'MINE-0001' } } });
    expect(data?.seen).toEqual({ suite_access_token: 'MINE-0001' });
  });
});

describe('one fetch per (kind, app, tenant)', () => {
  it('fetches the suite token once and each corp token once, however many calls wait', async () => {
    const vendor = fakeVendor();
    const p = provider(vendor.fetch);
    const corps = Array.from({ length: 20 }, (_, i) => `corp${i}`);
    const clients = corps.map((c) => p.forCorp(c));
    const results = await Promise.all(
      clients.flatMap((client, i) => Array.from({ length: 10 }, () => client.GET('/user/list').then((r) => [corps[i], r] as const))),
    );
    expect(vendor.calls('/suite/token')).toHaveLength(1);
    expect(vendor.calls('/suite/corp_token')).toHaveLength(20);
    // tenant isolation: every call for corp X carried corp X's token
    for (const [corp, { data }] of results) expect(data?.seen?.access_token).toBe(`CORP-TOKEN-${corp}-1`);
  });

  it('keys each token by kind, app and tenant, never by a secret', async () => {
    const vendor = fakeVendor();
    const store = new MemoryTokenStore();
    const p = provider(vendor.fetch, store);
    await p.forCorp('corpA').GET('/user/list');
    await p.forCorp('corpB').GET('/user/list');
    expect(p.suite().key).toMatch(/^scrm:acme:token:suite:suite-1:-:[0-9a-f]{16}$/);
    expect(p.corps.get('corpA')!.key).toMatch(/^scrm:acme:token:suite-corp:suite-1:corpA:[0-9a-f]{16}$/);
    expect(p.corps.get('corpB')!.key).toMatch(/^scrm:acme:token:suite-corp:suite-1:corpB:/);
    for (const source of [p.suite(), ...p.corps.values()]) {
      expect(source.key).not.toContain(SUITE_SECRET);
      expect(source.key).not.toContain('PERMANENT');
    }
    expect((await store.get(p.corps.get('corpB')!.key))?.value).toBe('CORP-TOKEN-corpB-1');
  });

  it('keeps the suite token key when the ticket changes (a ticket is pushed every few minutes)', async () => {
    const vendor = fakeVendor();
    let ticket = 'TICKET-1';
    const store = new MemoryTokenStore();
    const first = provider(vendor.fetch, store, () => ticket);
    await first.app.GET('/suite/pre_auth_code');
    ticket = 'TICKET-2';
    const second = provider(vendor.fetch, store, () => ticket);
    await second.app.GET('/suite/pre_auth_code');
    expect(second.suite().key).toBe(first.suite().key);
    expect(vendor.calls('/suite/token')).toHaveLength(1);
  });
});

describe('refusals', () => {
  it("refreshes the refused kind only (the suite token on the suite's code), then sends once more", async () => {
    let refusals = 0;
    const vendor = fakeVendor({
      refuse: (call) =>
        call.path === '/suite/pre_auth_code' && refusals++ === 0 ? { errcode: 42009, errmsg: 'suite token expired' } : undefined,
    });
    const p = provider(vendor.fetch);
    await p.forCorp('corpA').GET('/user/list');
    const { data } = await p.app.GET('/suite/pre_auth_code');
    expect(data?.seen).toEqual({ suite_access_token: 'SUITE-TOKEN-2' });
    expect(vendor.calls('/suite/token')).toHaveLength(2);
    expect(vendor.calls('/suite/corp_token')).toHaveLength(1);
  });

  it("turns a refused tenant code into the caller's error, and a dropped token is fetched again", async () => {
    const vendor = fakeVendor();
    let code = codeOf('corpA');
    const p = provider(vendor.fetch);
    const corp = p.forCorp('corpA', () => code);
    await corp.GET('/user/list');
    code = 'REVOKED-code-0001';
    await p.corps.get('corpA')!.drop();
    const error = await corp.GET('/user/list').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrmAuthorizationError);
    expect(error).toMatchObject({ reason: 'revoked', tenantId: 'corpA', appId: 'suite-1', code: 40084 });
    expect(vendor.calls('/suite/corp_token')).toHaveLength(2);
  });
});

describe('a token the caller passes', () => {
  it('is sent as it is, even for a kind the client manages (another suite, say)', async () => {
    const vendor = fakeVendor();
    const p = provider(vendor.fetch);
    const { data } = await p.app.GET('/suite/pre_auth_code', { params: { query: { suite_access_token: 'OTHER-suite-0001' } } });
    expect(data?.seen).toEqual({ suite_access_token: 'OTHER-suite-0001' });
    expect(vendor.calls('/suite/token')).toHaveLength(0);
  });
});
