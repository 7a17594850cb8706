// The retry policy at its edges, as a caller configures it: exactly maxRetries retries, a Retry-After waited for up
// to and including maxRetryAfterMs, the longer of the backoff and Retry-After, the throttle delay never shorter than
// the base delay, which calls count as idempotent when the spec does not say, and where errors say they come from.
import { describe, expect, it } from 'vitest';
import { createScrmClient } from '../client.js';
import { ScrmHttpError } from '../errors.js';
import type { ScrmEvent } from '../logger.js';
import type { VendorProfile } from '../profile.js';
import { acmeClient, fakeAcme, LIST, ok } from '../test-support.js';
import { createFakeFetch, type FakeHandler } from '../testing.js';
import { staticKeyProfile } from '../test-support.js';

const failed = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const retryDelays = (events: ScrmEvent[]) => events.flatMap((e) => (e.type === 'retry' ? [e.delayMs] : []));

describe('how many times, and how long', () => {
  it('makes exactly 1 + maxRetries attempts', async () => {
    for (const maxRetries of [0, 1, 3]) {
      const acme = fakeAcme(() => new Response('', { status: 503 }));
      const error = await failed(acmeClient(acme.fetch, { retry: { maxRetries, baseDelayMs: 1 } }).GET(LIST));
      expect(error).toMatchObject({ status: 503, attempts: maxRetries + 1 });
      expect(acme.businessCalls()).toHaveLength(maxRetries + 1);
    }
  });

  it('waits for a Retry-After exactly as long as maxRetryAfterMs, and not one longer', async () => {
    const busy = () => {
      let n = 0;
      return fakeAcme(() => (++n === 1 ? new Response('', { status: 503, headers: { 'retry-after': '0.03' } }) : ok()));
    };
    const at = busy();
    expect((await acmeClient(at.fetch, { retry: { maxRetryAfterMs: 30, baseDelayMs: 1 } }).GET(LIST)).data).toEqual(ok());
    expect(at.businessCalls()).toHaveLength(2);
    const over = busy();
    expect(await failed(acmeClient(over.fetch, { retry: { maxRetryAfterMs: 29, baseDelayMs: 1 } }).GET(LIST))).toBeInstanceOf(
      ScrmHttpError,
    );
    expect(over.businessCalls()).toHaveLength(1);
  });

  it('waits the longer of the backoff and Retry-After', async () => {
    const events: ScrmEvent[] = [];
    let n = 0;
    const acme = fakeAcme(() => (++n === 1 ? new Response('', { status: 503, headers: { 'retry-after': '0' } }) : ok()));
    await acmeClient(acme.fetch, { retry: { baseDelayMs: 40, maxDelayMs: 40 }, onEvent: (e) => events.push(e) }).GET(LIST);
    const [d] = retryDelays(events);
    expect(d).toBeGreaterThanOrEqual(20);
    expect(d).toBeLessThanOrEqual(40);
  });

  it('backs off from the base delay when it is longer than the throttle delay, even past maxDelayMs', async () => {
    const events: ScrmEvent[] = [];
    let n = 0;
    const acme = fakeAcme(() => (++n === 1 ? { code: 45009, msg: 'too fast' } : ok()));
    await acmeClient(acme.fetch, { retry: { baseDelayMs: 60, throttleDelayMs: 1, maxDelayMs: 10 }, onEvent: (e) => events.push(e) }).GET(
      LIST,
    );
    const [d] = retryDelays(events);
    expect(d).toBeGreaterThanOrEqual(30);
    expect(d).toBeLessThanOrEqual(60);
  });

  it('keeps an ordinary retry within maxDelayMs', async () => {
    const events: ScrmEvent[] = [];
    const acme = fakeAcme(() => ({ code: -1, msg: 'busy' }));
    await acmeClient(acme.fetch, { retry: { maxRetries: 3, baseDelayMs: 8, maxDelayMs: 10 }, onEvent: (e) => events.push(e) }).GET(LIST);
    const delays = retryDelays(events);
    expect(delays).toHaveLength(3);
    for (const d of delays) expect(d).toBeLessThanOrEqual(10);
    expect(delays[2]).toBeGreaterThanOrEqual(5);
  });
});

describe('calls the spec does not describe', () => {
  const profile = staticKeyProfile();
  type Api = Record<'GET' | 'POST' | 'HEAD' | 'PUT', (path: string, init?: unknown) => Promise<{ data?: unknown; error?: unknown }>>;
  const flaky = (): FakeHandler => {
    let n = 0;
    return () => (++n === 1 ? new Response('', { status: 503 }) : { code: 0 });
  };

  it('retries GET and HEAD, never another method, and still sends the credential', async () => {
    for (const [method, retried] of [
      ['GET', true],
      ['HEAD', true],
      ['POST', false],
      ['PUT', false],
    ] as const) {
      const fetch = createFakeFetch(flaky());
      const api = createScrmClient(profile, { key: 'k-0001' }, { fetch, retry: { baseDelayMs: 1 } }) as unknown as Api;
      const error = await failed(api[method]('/unknown', method === 'GET' || method === 'HEAD' ? undefined : { body: {} }));
      expect(fetch.calls, method).toHaveLength(retried ? 2 : 1);
      if (!retried) expect(error).toMatchObject({ status: 503, retryable: false });
      expect(fetch.calls[0]?.query).toEqual({ key: 'k-0001' });
    }
  });

  it('says where an error comes from: vendor, method, path, attempts, and no operation', async () => {
    const fetch = createFakeFetch(() => new Response('', { status: 500 }));
    const api = createScrmClient(profile, { key: 'k-0001' }, { fetch, retry: { maxRetries: 1, baseDelayMs: 1 } }) as unknown as Api;
    const error = await failed(api.GET('/unknown'));
    expect(error).toMatchObject({ vendor: 'demo', method: 'GET', path: '/unknown', attempts: 2 });
    expect((error as { operation?: string }).operation).toBeUndefined();
  });
});

describe("a caller's signal", () => {
  it("stops a call whose signal was aborted before it started, with the caller's reason", async () => {
    // like a real fetch, the fake vendor refuses a request whose signal is already aborted
    const acme = fakeAcme((call) => {
      if (call.signal.aborted) throw call.signal.reason;
      return ok();
    });
    const api = acmeClient(acme.fetch);
    await api.GET(LIST); // the token is there
    const controller = new AbortController();
    controller.abort(new Error('never mind'));
    expect(await failed(api.GET(LIST, { signal: controller.signal }))).toMatchObject({ message: 'never mind' });
  });

  it('stops a call waiting for its throttle slot', async () => {
    const profile: VendorProfile = {
      vendor: 'slow',
      baseUrl: 'https://api.slow.invalid',
      envelope: { code: 'code', message: 'msg', success: [0] },
      auth: { type: 'static', credentials: { key: 'key' }, default: 'key', inject: { in: 'query', name: 'key' } },
      errorActions: {},
      operations: { 'GET /x': { id: 'x', idempotent: true } },
      secretParams: ['key'],
      rateLimits: [{ scope: 'operation', limit: 1, intervalMs: 10_000, burst: 1 }],
    };
    const fetch = createFakeFetch(() => ({ code: 0 }));
    const api = createScrmClient(profile, { key: 'k-0001' }, { fetch }) as unknown as { GET(p: string, i?: unknown): Promise<unknown> };
    await api.GET('/x');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('gave up waiting')), 20);
    const started = Date.now();
    expect(await failed(api.GET('/x', { signal: controller.signal }))).toMatchObject({ message: 'gave up waiting' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(fetch.calls).toHaveLength(1);
  });
});
