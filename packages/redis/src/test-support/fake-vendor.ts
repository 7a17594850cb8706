// A counting WeCom stand-in on loopback: gettoken answers slowly (to widen race windows) and is counted.
import { createServer, type Server } from 'node:http';

export interface FakeVendorOptions {
  /** How long gettoken takes to answer. Default 100 ms. */
  tokenDelayMs?: number;
  /**
   * Holds the answer to the n-th gettoken request (1-based) until the promise settles, on top of `tokenDelayMs`;
   * a promise that never settles models a token endpoint that hangs.
   */
  holdToken?: (n: number) => Promise<unknown> | undefined;
}

export interface FakeVendor {
  readonly url: string;
  readonly counts: { token: number; business: number };
  /** Arrival time (epoch ms) of every business call. */
  readonly arrivals: number[];
  /** Arrival time (epoch ms) of every gettoken request. */
  readonly tokenArrivals: number[];
  /** Answers 42001 (token expired early) to the next call that carries the newest token. */
  expireCurrentToken(): void;
  /** Answers 42001 to every call that carries `value` from now on. */
  rejectToken(value: string): void;
  close(): Promise<void>;
}

export async function startFakeWecom(options: FakeVendorOptions = {}): Promise<FakeVendor> {
  const counts = { token: 0, business: 0 };
  const arrivals: number[] = [];
  const tokenArrivals: number[] = [];
  const rejected = new Set<string>();
  let expired: string | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/cgi-bin/gettoken') {
      const n = ++counts.token;
      tokenArrivals.push(Date.now());
      const delay = new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs ?? 100));
      void Promise.all([delay, options.holdToken?.(n)]).then(() =>
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: `token-${n}`, expires_in: 7200 })),
      );
      return;
    }
    counts.business++;
    arrivals.push(Date.now());
    const token = url.searchParams.get('access_token') ?? '';
    if (rejected.has(token) || (expired && token === expired)) {
      if (token === expired) expired = undefined;
      res.end(JSON.stringify({ errcode: 42001, errmsg: 'access_token expired' }));
      return;
    }
    res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', follow_user: ['zhangsan'] }));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    arrivals,
    tokenArrivals,
    expireCurrentToken: () => {
      expired = `token-${counts.token}`;
    },
    rejectToken: (value) => {
      rejected.add(value);
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // long-lived workers keep their keep-alive connections open (and a hung gettoken never ends its own)
        server.closeAllConnections();
      }),
  };
}

export interface FakeProviderVendor {
  readonly url: string;
  /** Suite-token requests, corp-token requests per corp, business calls, and calls whose token was not their corp's. */
  readonly counts: { suite: number; corp: Map<string, number>; business: number; mismatched: number };
  close(): Promise<void>;
}

/**
 * A WeCom for providers on loopback: get_suite_token and get_corp_token answer after `tokenDelayMs` and are counted
 * (per corp); the permanent code of corp X is `PERMANENT-X`; a business call names its corp in `?corp=` and the
 * answer says whether its token belongs to that corp.
 */
export async function startFakeWecomProvider(options: { tokenDelayMs?: number; suiteTicket: string }): Promise<FakeProviderVendor> {
  const counts = { suite: 0, corp: new Map<string, number>(), business: 0, mismatched: 0 };
  const tokenCorp = new Map<string, string>();
  const suiteTokens = new Set<string>();
  const later = (res: import('node:http').ServerResponse, body: unknown) =>
    setTimeout(() => res.end(JSON.stringify(body)), options.tokenDelayMs ?? 100);
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('content-type', 'application/json');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, string>) : {};
    if (url.pathname === '/cgi-bin/service/get_suite_token') {
      const n = ++counts.suite;
      if (body.suite_ticket !== options.suiteTicket) return later(res, { errcode: 40085, errmsg: 'invalid suite_ticket' });
      suiteTokens.add(`suite-token-${n}`);
      return later(res, { errcode: 0, errmsg: 'ok', suite_access_token: `suite-token-${n}`, expires_in: 7200 });
    }
    if (url.pathname === '/cgi-bin/service/get_corp_token') {
      const corp = body.auth_corpid ?? '';
      counts.corp.set(corp, (counts.corp.get(corp) ?? 0) + 1);
      if (!suiteTokens.has(url.searchParams.get('suite_access_token') ?? ''))
        return later(res, { errcode: 40082, errmsg: 'invalid suite token' });
      if (body.permanent_code !== `PERMANENT-${corp}`) return later(res, { errcode: 40084, errmsg: 'invalid permanent code' });
      const token = `corp-token-${corp}-${counts.corp.get(corp)}`;
      tokenCorp.set(token, corp);
      return later(res, { access_token: token, expires_in: 7200 });
    }
    counts.business++;
    const owner = tokenCorp.get(url.searchParams.get('access_token') ?? '');
    if (!owner) return res.end(JSON.stringify({ errcode: 40014, errmsg: 'invalid access_token' }));
    if (owner !== url.searchParams.get('corp')) counts.mismatched++;
    res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', follow_user: [owner] }));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
