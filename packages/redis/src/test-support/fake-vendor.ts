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
