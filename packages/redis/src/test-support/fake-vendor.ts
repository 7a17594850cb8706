// A counting WeCom stand-in on loopback: gettoken answers slowly (to widen race windows) and is counted.
import { createServer, type Server } from 'node:http';

export interface FakeVendor {
  readonly url: string;
  readonly counts: { token: number; business: number };
  /** Arrival time (epoch ms) of every business call. */
  readonly arrivals: number[];
  /** Answers 42001 (token expired early) to the next call that carries the newest token. */
  expireCurrentToken(): void;
  close(): Promise<void>;
}

export async function startFakeWecom(): Promise<FakeVendor> {
  const counts = { token: 0, business: 0 };
  const arrivals: number[] = [];
  let expired: string | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/cgi-bin/gettoken') {
      counts.token++;
      setTimeout(() => res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: `token-${counts.token}`, expires_in: 7200 })), 100);
      return;
    }
    counts.business++;
    arrivals.push(Date.now());
    if (expired && url.searchParams.get('access_token') === expired) {
      expired = undefined;
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
    expireCurrentToken: () => {
      expired = `token-${counts.token}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
