// Core's transport through createScrmClient, on the made-up Acme vendor of test-support.ts: token handling,
// retries, timeouts, redaction and unwrap(). Vendor packages test only what their own profile adds.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createScrmClient } from './client.js';
import { ScrmApiError, ScrmConfigError, ScrmHttpError, ScrmNetworkError, ScrmParseError, ScrmTimeoutError } from './errors.js';
import type { ScrmEvent } from './logger.js';
import { captureLogger, delay, everythingIn, jsonResponse } from './testing.js';
import {
  acmeClient,
  acmeProfile,
  APP_ID,
  APP_SECRET,
  CREATE,
  fakeAcme,
  GET_ONE,
  LIST,
  ok,
  TOKEN_PATH,
  tokenValue,
} from './test-support.js';
import { unwrap } from './unwrap.js';

const failed = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('token endpoint credentials', () => {
  it('fetches exactly one token for 50 concurrent cold calls and sends it on each', async () => {
    const acme = fakeAcme(async () => {
      await delay(5);
      return ok();
    });
    const api = acmeClient(acme.fetch);
    await Promise.all(Array.from({ length: 50 }, () => api.GET(LIST)));
    expect(acme.tokenCalls()).toBe(1);
    expect(new Set(acme.businessCalls().map((c) => c.query.access_token))).toEqual(new Set([tokenValue(1)]));
  });

  it('sends the credentials to the token endpoint in the query, and only the token elsewhere', async () => {
    const acme = fakeAcme(() => ok());
    await acmeClient(acme.fetch).GET(LIST);
    expect(acme.fetch.calls[0]?.query).toEqual({ app_id: APP_ID, app_secret: APP_SECRET });
    expect(acme.fetch.calls[1]?.query).toEqual({ access_token: tokenValue(1) });
  });

  it('refreshes once on a refreshOn code, for a write too, and succeeds with the new token', async () => {
    const acme = fakeAcme((call) => (call.query.access_token === tokenValue(1) ? { code: 42001, msg: 'expired' } : ok({ id: 'i1' })));
    const { data, error } = await acmeClient(acme.fetch).POST(CREATE, { body: { name: 'x' } });
    expect(error).toBeUndefined();
    expect(data).toEqual(ok({ id: 'i1' }));
    expect(acme.tokenCalls()).toBe(2);
    expect(acme.businessCalls().map((c) => c.query.access_token)).toEqual([tokenValue(1), tokenValue(2)]);
  });

  it('never loops: a fresh token refused again is returned as the error', async () => {
    const acme = fakeAcme(() => ({ code: 40014, msg: 'invalid token' }));
    const result = await acmeClient(acme.fetch).GET(LIST);
    expect(result.error).toEqual({ code: 40014, msg: 'invalid token' });
    expect(acme.tokenCalls()).toBe(2);
    expect(acme.businessCalls()).toHaveLength(2);
    expect(() => unwrap(result)).toThrow(ScrmApiError);
  });

  it("fails with the token endpoint's own error when it refuses the secret, without calling the operation", async () => {
    const acme = fakeAcme(() => ok());
    const fetch: typeof globalThis.fetch = async (input, init) =>
      new URL(input instanceof Request ? input.url : String(input)).pathname === TOKEN_PATH
        ? jsonResponse({ code: 40001, msg: 'bad secret' })
        : acme.fetch(input, init);
    const error = await failed(acmeClient(fetch).GET(LIST));
    expect(error).toBeInstanceOf(ScrmApiError);
    expect(error).toMatchObject({ code: 40001, operation: 'getToken' });
    expect(acme.businessCalls()).toHaveLength(0);
  });

  it('checks every credential up front, naming the missing option', () => {
    expect(() => createScrmClient(acmeProfile, { appId: APP_ID, appSecret: ' ' })).toThrow(ScrmConfigError);
    expect(() => createScrmClient(acmeProfile, { appSecret: APP_SECRET })).toThrow(/appId/);
  });
});

describe('retries', () => {
  it('retries a retry code on a read with growing, jittered backoff', async () => {
    let n = 0;
    const acme = fakeAcme(() => (++n <= 2 ? { code: -1, msg: 'busy' } : ok({ items: [1] })));
    const events: ScrmEvent[] = [];
    const { data } = await acmeClient(acme.fetch, { retry: { baseDelayMs: 20, maxDelayMs: 1000 }, onEvent: (e) => events.push(e) }).GET(
      LIST,
    );
    expect(data?.items).toEqual([1]);
    const delays = events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []));
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(10);
    expect(delays[0]).toBeLessThanOrEqual(20);
    expect(delays[1]).toBeGreaterThanOrEqual(20);
    expect(delays[1]).toBeLessThanOrEqual(40);
  });

  it('returns the last vendor error (not a throw) when retries of a retry code run out', async () => {
    const acme = fakeAcme(() => ({ code: -1, msg: 'busy' }));
    const result = await acmeClient(acme.fetch).POST(GET_ONE, { body: { id: 'i1' } });
    expect(result.error).toEqual({ code: -1, msg: 'busy' });
    expect(acme.businessCalls()).toHaveLength(3);
    expect(() => unwrap(result)).toThrow(expect.objectContaining({ code: -1, attempts: 3, retryable: true }));
  });

  it('does not retry a retry code on a write', async () => {
    const acme = fakeAcme(() => ({ code: -1, msg: 'busy' }));
    const { error } = await acmeClient(acme.fetch).POST(CREATE, { body: {} });
    expect(error?.code).toBe(-1);
    expect(acme.businessCalls()).toHaveLength(1);
  });

  it('throws the last HTTP error after maxRetries', async () => {
    const acme = fakeAcme(() => new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' }));
    const error = await failed(acmeClient(acme.fetch).GET(LIST));
    expect(error).toBeInstanceOf(ScrmHttpError);
    expect(error).toMatchObject({ status: 502, attempts: 3, retryable: true });
    expect(acme.businessCalls()).toHaveLength(3);
  });

  it('recovers from a 503 on a read and never retries a 500 on a write', async () => {
    let n = 0;
    const flaky = fakeAcme(() => (++n === 1 ? new Response('', { status: 503 }) : ok()));
    expect((await acmeClient(flaky.fetch).GET(LIST)).data).toEqual(ok());
    const down = fakeAcme(() => new Response('oops', { status: 500 }));
    expect(await failed(acmeClient(down.fetch).POST(CREATE, { body: {} }))).toBeInstanceOf(ScrmHttpError);
    expect(down.businessCalls()).toHaveLength(1);
  });

  it('retries a write only when the connection was refused (it never reached the vendor)', async () => {
    let n = 0;
    const acme = fakeAcme(() => {
      n++;
      if (n === 1)
        throw Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    });
    const error = await failed(acmeClient(acme.fetch).POST(CREATE, { body: {} }));
    expect(error).toBeInstanceOf(ScrmNetworkError);
    expect(error).toMatchObject({ code: 'ECONNRESET', requestNotSent: false, attempts: 2 });
  });

  it('waits at least Retry-After, and gives up at once when it is longer than maxRetryAfterMs', async () => {
    let n = 0;
    const events: ScrmEvent[] = [];
    const acme = fakeAcme(() => (++n === 1 ? new Response('', { status: 429, headers: { 'retry-after': '0.05' } }) : ok()));
    await acmeClient(acme.fetch, { onEvent: (e) => events.push(e) }).GET(LIST);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'HTTP 429' });
    expect((events.find((e) => e.type === 'retry') as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(50);

    const slow = fakeAcme(() => new Response('', { status: 429, headers: { 'retry-after': '120' } }));
    const error = await failed(acmeClient(slow.fetch).GET(LIST));
    expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(slow.businessCalls()).toHaveLength(1);
  });

  it('backs off from the longer throttle delay on a rate-limit code', async () => {
    let n = 0;
    const events: ScrmEvent[] = [];
    const acme = fakeAcme(() => (++n === 1 ? { code: 45009, msg: 'too fast' } : ok()));
    await acmeClient(acme.fetch, { retry: { baseDelayMs: 1, throttleDelayMs: 40 }, onEvent: (e) => events.push(e) }).GET(LIST);
    expect((events.find((e) => e.type === 'retry') as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(20);
  });

  it('never retries when retry is false', async () => {
    const acme = fakeAcme(() => ({ code: -1, msg: 'busy' }));
    const { error } = await acmeClient(acme.fetch, { retry: false }).GET(LIST);
    expect(error?.code).toBe(-1);
    expect(acme.businessCalls()).toHaveLength(1);
  });
});

describe('timeouts and bad answers', () => {
  it('times out each attempt on its own and retries a timed-out read', async () => {
    let n = 0;
    const acme = fakeAcme(async (call) => {
      if (++n === 1) await delay(1000, call.signal);
      return ok({ late: true });
    });
    const started = Date.now();
    const { data } = await acmeClient(acme.fetch, { timeoutMs: 50 }).GET(LIST);
    expect(data?.late).toBe(true);
    expect(acme.businessCalls()).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('throws ScrmTimeoutError for a timed-out write, without retrying', async () => {
    const acme = fakeAcme(async (call) => {
      await delay(1000, call.signal);
      return ok();
    });
    const error = await failed(acmeClient(acme.fetch, { timeoutMs: 30 }).POST(CREATE, { body: {} }));
    expect(error).toBeInstanceOf(ScrmTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 30, retryable: false, operation: 'createItem' });
    expect(acme.businessCalls()).toHaveLength(1);
  });

  it('lets the caller abort with its own reason, during a call and during a backoff', async () => {
    const hanging = fakeAcme(async (call) => {
      await delay(1000, call.signal);
      return ok();
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    expect(await failed(acmeClient(hanging.fetch).GET(LIST, { signal: controller.signal }))).toMatchObject({ message: 'user cancelled' });

    const busy = fakeAcme(() => ({ code: -1, msg: 'busy' }));
    const later = new AbortController();
    setTimeout(() => later.abort(new Error('stop waiting')), 20);
    const error = await failed(acmeClient(busy.fetch, { retry: { baseDelayMs: 5000 } }).GET(LIST, { signal: later.signal }));
    expect(error).toMatchObject({ message: 'stop waiting' });
    expect(busy.businessCalls()).toHaveLength(1);
  });

  it('turns malformed JSON and HTML pages into ScrmParseError', async () => {
    const broken = fakeAcme(() => new Response('{"code":0,', { status: 200 }));
    expect(await failed(acmeClient(broken.fetch, { retry: false }).GET(LIST))).toMatchObject({ name: 'ScrmParseError', kind: 'json' });
    const html = fakeAcme(() => new Response('<html>502 Bad Gateway</html>', { headers: { 'content-type': 'text/html' } }));
    const error = await failed(acmeClient(html.fetch, { retry: false }).GET(LIST));
    expect(error).toBeInstanceOf(ScrmParseError);
    expect(error).toMatchObject({ kind: 'html', bodySnippet: '<html>502 Bad Gateway</html>' });
  });
});

describe('redaction', () => {
  const SECRETS = [APP_SECRET, encodeURIComponent(APP_SECRET), tokenValue(1), tokenValue(2)];
  const expectNoSecret = (text: string) => {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  };
  /** Each scenario fails a call in one way; the vendor echoes the URL (with the token) or the secret where it can. */
  const scenarios: Record<string, (call: { url: URL; signal: AbortSignal }) => unknown> = {
    'vendor error echoing the URL': (call) => ({ code: 40058, msg: `invalid request ${call.url.href}` }),
    'vendor error echoing the secret': () => ({ code: 40001, msg: `invalid app_secret=${APP_SECRET}` }),
    'HTTP 500 page echoing the URL': (call) => new Response(`<html>error at ${call.url.href}</html>`, { status: 500 }),
    'HTTP 400 with JSON echoing the token': (call) =>
      new Response(JSON.stringify({ access_token: call.url.searchParams.get('access_token') }), { status: 400 }),
    'malformed JSON echoing the URL': (call) => new Response(`{"url": "${call.url.href}"`),
    'network error naming the URL': (call) => {
      throw Object.assign(new TypeError(`fetch failed for ${call.url.href}`), {
        cause: Object.assign(new Error(`connect ECONNRESET ${call.url.href}`), { code: 'ECONNRESET' }),
      });
    },
    timeout: async (call) => {
      await delay(1000, call.signal);
      return ok();
    },
  };

  it.each(Object.keys(scenarios))('%s: no secret in the error, its cause or the log', async (name) => {
    const acme = fakeAcme((call) => scenarios[name]!(call) as never);
    const logger = captureLogger();
    const api = acmeClient(acme.fetch, { logger, timeoutMs: 40, onEvent: (e) => logger.lines.push(JSON.stringify(e)) });
    let caught = 0;
    for (const call of [() => api.GET(LIST).then(unwrap), () => api.POST(CREATE, { body: {} }).then(unwrap)]) {
      const error = await failed(call());
      if (error === undefined) continue;
      caught++;
      expectNoSecret(everythingIn(error));
    }
    expect(caught).toBe(2);
    expect(logger.lines.join('\n')).toContain('token-refresh');
    expectNoSecret(logger.lines.join('\n'));
  });

  it('hands back a response whose url carries no token, from a real fetch over loopback', async () => {
    const server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      const url = new URL(req.url ?? '/', 'http://localhost');
      res.end(JSON.stringify(url.pathname === TOKEN_PATH ? { code: 0, access_token: tokenValue(1), expires_in: 7200 } : ok()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const api = acmeClient(globalThis.fetch, { baseUrl });
      const { data, response } = await api.GET(LIST, { params: { query: { page: 2 } } });
      expect(data).toEqual(ok());
      expect(response.url).toBe(`${baseUrl}${LIST}?page=2&access_token=[REDACTED]`);
      // with a middleware, openapi-fetch gets a rebuilt response: no url, so no token either
      api.use({ onResponse: () => undefined });
      const rebuilt = await api.GET(LIST);
      expectNoSecret(rebuilt.response.url);
    } finally {
      server.close();
    }
  });
});

describe('unwrap()', () => {
  it('finds the typed error on the envelope returned as error, which stays a plain envelope', async () => {
    const acme = fakeAcme(() => ({ code: 60011, msg: 'no privilege' }));
    const result = await acmeClient(acme.fetch).GET(LIST);
    expect(result.error).toEqual({ code: 60011, msg: 'no privilege' });
    expect(JSON.stringify(result.error)).toBe('{"code":60011,"msg":"no privilege"}');
    expect(Object.keys(result.error)).toEqual(['code', 'msg']);
    let thrown: unknown;
    try {
      unwrap(result);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScrmApiError);
    expect(thrown).toMatchObject({ code: 60011, vendorMessage: 'no privilege', operation: 'listItems', vendor: 'acme' });
  });

  it('returns data on success and throws a parse error for an error it knows nothing about', () => {
    const response = new Response('');
    expect(unwrap({ data: { a: 1 }, response })).toEqual({ a: 1 });
    expect(() => unwrap({ error: { code: 1 }, response })).toThrow(ScrmParseError);
  });
});
