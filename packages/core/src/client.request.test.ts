// request(): the untyped escape hatch for an endpoint the spec lacks. It must be the same call as GET/POST/…:
// the managed token injected, the retry rules, the envelope's error codes turned into a ScrmApiError, and the
// returned response's url redacted. The paths below are unknown to the Acme profile unless said otherwise.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createScrmClient } from './client.js';
import { ScrmApiError, ScrmConfigError } from './errors.js';
import { acmeProfile, APP_ID, APP_SECRET, CREATE, fakeAcme, ok, tokenValue } from './test-support.js';
import { unwrap } from './unwrap.js';

const NEW_READ = '/v2/things/get';
const NEW_WRITE = '/v2/things/create';

const client = (fetch: typeof globalThis.fetch) =>
  createScrmClient<{}, {}>(
    acmeProfile,
    { appId: APP_ID, appSecret: APP_SECRET },
    { fetch, retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 4, throttleDelayMs: 2 } },
  );
const withUrl = (response: Response, url: string) => Object.defineProperty(response, 'url', { value: url, configurable: true });
const caught = async (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('request(), the untyped escape hatch', () => {
  it('injects the managed token and sends the body and query as the typed methods do', async () => {
    const acme = fakeAcme(() => ok({ thing: { id: 't1' } }));
    const { data, error, response } = await client(acme.fetch).request('POST', NEW_WRITE, {
      body: { name: 'n' },
      params: { query: { debug: 1 } },
    });
    expect(error).toBeUndefined();
    expect(data).toEqual({ code: 0, msg: 'ok', thing: { id: 't1' } });
    expect(response.status).toBe(200);
    const [call] = acme.businessCalls();
    expect(call).toMatchObject({
      method: 'POST',
      path: NEW_WRITE,
      query: { access_token: tokenValue(1), debug: '1' },
      body: { name: 'n' },
    });
    expect(acme.tokenCalls()).toBe(1);
  });

  it('refreshes a refused token and retries once, like any call', async () => {
    const acme = fakeAcme((call) => (call.query.access_token === tokenValue(1) ? { code: 42001, msg: 'expired' } : ok()));
    const { error } = await client(acme.fetch).request('GET', NEW_READ);
    expect(error).toBeUndefined();
    expect(acme.tokenCalls()).toBe(2);
    expect(acme.businessCalls().map((c) => c.query.access_token)).toEqual([tokenValue(1), tokenValue(2)]);
  });

  it('retries a GET on a retryable code', async () => {
    const acme = fakeAcme((_, i) => (i <= 2 ? { code: -1, msg: 'busy' } : ok({ n: 3 })));
    const data = await unwrap(client(acme.fetch).request('get', NEW_READ));
    expect(data).toEqual(ok({ n: 3 }));
    expect(acme.businessCalls()).toHaveLength(3);
  });

  it('does not retry a POST the spec does not know, unless the caller says it is idempotent', async () => {
    const busyOnce = () => fakeAcme((_, i) => (i === 1 ? { code: -1, msg: 'busy' } : ok()));
    const write = busyOnce();
    const first = await caught(unwrap(client(write.fetch).request('POST', NEW_WRITE, { body: {} })));
    expect(first).toBeInstanceOf(ScrmApiError);
    expect(write.businessCalls()).toHaveLength(1);

    const read = busyOnce();
    const { error } = await client(read.fetch).request('POST', NEW_WRITE, { body: {}, idempotent: true });
    expect(error).toBeUndefined();
    expect(read.businessCalls()).toHaveLength(2);
    // the option is the client's, not sent on
    expect(read.businessCalls()[1]!.body).toEqual({});
  });

  it("follows the spec for a path it knows (Acme's create is not idempotent), and the caller's word over it", async () => {
    const busyOnce = () => fakeAcme((_, i) => (i === 1 ? { code: -1, msg: 'busy' } : ok()));
    const plain = busyOnce();
    expect((await client(plain.fetch).request('POST', CREATE, { body: {} })).error).toBeDefined();
    expect(plain.businessCalls()).toHaveLength(1);
    const forced = busyOnce();
    expect((await client(forced.fetch).request('POST', CREATE, { body: {}, idempotent: true })).error).toBeUndefined();
    expect(forced.businessCalls()).toHaveLength(2);
  });

  it("returns the vendor's envelope as error, and unwrap() throws the typed ScrmApiError", async () => {
    const acme = fakeAcme(() => ({ code: 60011, msg: 'no privilege' }));
    const api = client(acme.fetch);
    const result = await api.request('POST', NEW_WRITE, { body: {} });
    expect(result.data).toBeUndefined();
    expect(result.error).toEqual({ code: 60011, msg: 'no privilege' });
    const error = await caught(unwrap(api.request('POST', NEW_WRITE, { body: {} })));
    expect(error).toBeInstanceOf(ScrmApiError);
    expect(error).toMatchObject({ vendor: 'acme', code: 60011, vendorMessage: 'no privilege', method: 'POST', path: NEW_WRITE });
    expect((error as ScrmApiError).operation).toBeUndefined();
  });

  it('hands back the response with its url redacted', async () => {
    const acme = fakeAcme((call) => withUrl(new Response(JSON.stringify(ok())), call.url.href));
    const { response } = await client(acme.fetch).request('GET', NEW_READ, { params: { query: { id: 'x' } } });
    expect(response.url).toBe(`https://api.acme.invalid${NEW_READ}?id=x&access_token=[REDACTED]`);
    expect(response.url).not.toContain(tokenValue(1));
  });

  it('refuses an unknown method, a path without its leading slash and a non-boolean idempotent, before sending', async () => {
    const acme = fakeAcme(() => ok());
    const api = client(acme.fetch);
    const bad = [
      () => api.request('FETCH' as 'GET', NEW_READ),
      () => api.request('GET', 'v2/things/get'),
      () => api.request('GET', NEW_READ, { idempotent: 'yes' as unknown as boolean }),
    ];
    for (const send of bad) expect(await caught(send())).toBeInstanceOf(ScrmConfigError);
    expect(acme.fetch.calls).toHaveLength(0);
  });

  it('types data and error as unknown, and unwrap() of it as unknown', () => {
    const api = client(fakeAcme(() => ok()).fetch);
    const call = () => api.request('POST', NEW_WRITE, { body: { any: 'thing' } });
    type Result = Awaited<ReturnType<typeof call>>;
    expectTypeOf<Result['data']>().toBeUnknown();
    expectTypeOf<Extract<Result, { error?: never }>['data']>().toBeUnknown();
    expectTypeOf<Result['error']>().toBeUnknown();
    expectTypeOf(unwrap(call())).toEqualTypeOf<Promise<unknown>>();
    // @ts-expect-error not an HTTP method
    void (() => api.request('FETCH', NEW_READ));
    // @ts-expect-error the query goes under params, as in the typed methods
    void (() => api.request('GET', NEW_READ, { query: { id: 'x' } }));
  });
});
