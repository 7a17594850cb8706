// The client options as a user meets them: each wrong option is refused up front with a ScrmConfigError that names
// it, and each right one changes what goes out (host, timeout, throttle, methods).
import { describe, expect, it } from 'vitest';
import { createScrmClient, type ScrmClientOptions } from './client.js';
import { ScrmConfigError, ScrmTimeoutError } from './errors.js';
import type { ScrmEvent } from './logger.js';
import type { VendorProfile } from './profile.js';
import { createFakeFetch, delay } from './testing.js';
import { acmeProfile, APP_ID, APP_SECRET } from './test-support.js';
import { staticKeyProfile } from './test-support.js';

const make = (options: ScrmClientOptions) => () => createScrmClient(acmeProfile, { appId: APP_ID, appSecret: APP_SECRET }, options);
const configError = (options: ScrmClientOptions): ScrmConfigError => {
  try {
    make(options)();
  } catch (e) {
    expect(e).toBeInstanceOf(ScrmConfigError);
    expect(e).toMatchObject({ vendor: 'acme' });
    return e as ScrmConfigError;
  }
  throw new Error('no ScrmConfigError');
};

const profile = staticKeyProfile({
  operations: {
    'GET /x': { id: 'getX', idempotent: true },
    'GET /far': { id: 'far', idempotent: true, server: 'https://far.demo.invalid/base' },
    'POST /list': {
      id: 'list',
      idempotent: true,
      pagination: { style: 'page', page: { in: 'body', param: 'page', start: 1 }, items: 'items' },
    },
  },
  rateLimits: [{ scope: 'operation', limit: 10, intervalMs: 1000, burst: 1 }],
});
type Api = {
  GET(path: string, init?: unknown): Promise<{ data?: any; error?: any; response: Response }>;
  request(method: string, path: string, init?: unknown): Promise<{ data?: any; error?: any; response: Response }>;
  paginate(path: string): unknown;
  profile: VendorProfile;
};
const demo = (fetch: typeof globalThis.fetch, options: ScrmClientOptions = {}) =>
  createScrmClient(profile, { key: 'k-0001' }, { fetch, ...options }) as unknown as Api;

describe('options refused up front', () => {
  it('refuses a timeout that is not a positive number', () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(configError({ timeoutMs }).message).toBe('timeoutMs must be a positive number');
    }
    expect(make({ timeoutMs: 1 })).not.toThrow();
  });

  it('refuses a token lifetime that is not a positive number', () => {
    for (const tokenTtlSeconds of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(configError({ tokenTtlSeconds }).message).toBe('tokenTtlSeconds must be a positive number');
    }
    expect(make({ tokenTtlSeconds: 1 })).not.toThrow();
  });

  it('turns a bad retry option into a ScrmConfigError naming it', () => {
    expect(configError({ retry: { maxRetries: -1 } }).message).toMatch(/retry\.maxRetries must be a finite number/);
  });

  it('refuses a base URL that is not absolute, and a missing fetch', () => {
    expect(configError({ baseUrl: '/relative' }).message).toBe('baseUrl is not an absolute URL');
    expect(configError({ fetch: 'nope' as never }).message).toBe('no fetch implementation available');
  });

  it('refuses to paginate an operation that does not page, naming the path and the vendor', () => {
    const api = demo(createFakeFetch(() => ({ code: 0 })));
    expect(() => api.paginate('/x')).toThrow(ScrmConfigError);
    expect(() => api.paginate('/x')).toThrow('/x is not a paginated operation of demo');
    expect(() => api.paginate('/list')).not.toThrow();
    // only the whole path names the operation
    expect(() => api.paginate('list')).toThrow(ScrmConfigError);
  });

  it('pages an operation with its own method, page number in the body', async () => {
    const fetch = createFakeFetch((call) => ({
      code: 0,
      items: ((call.body as { page?: number } | undefined)?.page ?? 1) === 1 ? [1, 2] : [],
    }));
    const pages = demo(fetch).paginate('/list') as { toArray(): Promise<unknown[]> };
    expect(await pages.toArray()).toEqual([1, 2]);
    expect(fetch.calls.map((c) => [c.method, c.path, (c.body as { page?: number } | undefined)?.page])).toEqual([
      ['POST', '/list', undefined],
      ['POST', '/list', 2],
    ]);
  });
});

describe('options that change what goes out', () => {
  it('drops trailing slashes of baseUrl and sends every operation there, even one with its own host', async () => {
    const fetch = createFakeFetch(() => ({ code: 0 }));
    const api = demo(fetch, { baseUrl: 'http://127.0.0.1:9/sandbox//' });
    await api.GET('/x');
    await api.GET('/far');
    expect(fetch.calls.map((c) => c.url.href)).toEqual([
      'http://127.0.0.1:9/sandbox/x?key=k-0001',
      'http://127.0.0.1:9/sandbox/far?key=k-0001',
    ]);
  });

  it('sends an operation with its own host there by default, the others to the vendor host', async () => {
    const fetch = createFakeFetch(() => ({ code: 0 }));
    const api = demo(fetch);
    await api.GET('/far');
    await api.GET('/x');
    expect(fetch.calls.map((c) => c.url.origin + c.path)).toEqual(['https://far.demo.invalid/base/far', 'https://api.demo.invalid/x']);
  });

  it('times out an attempt after timeoutMs', async () => {
    const fetch = createFakeFetch(async (call) => {
      await delay(5000, call.signal);
      return { code: 0 };
    });
    const started = Date.now();
    const error = await demo(fetch, { timeoutMs: 30, retry: false })
      .GET('/x')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrmTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 30 });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('throttles to the profile limits by default, to given rules, and not at all with throttle: false', async () => {
    /** The throttle waits reported for two calls at once. */
    const waits = async (options: ScrmClientOptions) => {
      const events: ScrmEvent[] = [];
      const api = demo(
        createFakeFetch(() => ({ code: 0 })),
        { ...options, onEvent: (e) => events.push(e) },
      );
      await Promise.all([api.GET('/x'), api.GET('/x')]);
      return events.filter((e) => e.type === 'throttle-wait').length;
    };
    // the profile allows one call per 100 ms without burst: the second of two calls at once waits
    expect(await waits({})).toBe(1);
    expect(await waits({ throttle: {} })).toBe(1);
    expect(await waits({ throttle: false })).toBe(0);
    expect(await waits({ throttle: { rules: [] } })).toBe(0);
    expect(await waits({ throttle: { rules: [{ scope: 'vendor', limit: 10, intervalMs: 1000, burst: 1 }] } })).toBe(1);
    expect(await waits({ throttle: { rules: [{ scope: 'vendor', limit: 10, intervalMs: 1000, burst: 2 }] } })).toBe(0);
  });

  it('keeps the throttle of two credentials apart, and shares it between two clients of one credential', async () => {
    const fetch = createFakeFetch(() => ({ code: 0 }));
    const waits: number[] = [];
    const store = {
      inner: new Map<string, number>(),
      async reserve(key: string) {
        const n = (this.inner.get(key) ?? 0) + 1;
        this.inner.set(key, n);
        waits.push(n);
        return 0;
      },
      async penalize() {},
    };
    const one = createScrmClient(profile, { key: 'k-0001' }, { fetch, throttle: { store } }) as unknown as Api;
    const same = createScrmClient(profile, { key: 'k-0001' }, { fetch, throttle: { store } }) as unknown as Api;
    const other = createScrmClient(profile, { key: 'k-0002' }, { fetch, throttle: { store } }) as unknown as Api;
    await one.GET('/x');
    await same.GET('/x');
    await other.GET('/x');
    expect(waits).toEqual([1, 2, 1]);
    const keys = [...store.inner.keys()];
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(/^scrm:demo:throttle:[^:]+:op:getX:10\/1000$/);
      expect(key).not.toContain('k-000');
    }
  });

  it('gives every credential a throttle key of its own', async () => {
    const keys = new Set<string>();
    const store = {
      reserve: async (key: string) => {
        keys.add(key);
        return 0;
      },
      penalize: async () => {},
    };
    const fetch = createFakeFetch(() => ({ code: 0 }));
    for (let i = 0; i < 40; i++)
      await (createScrmClient(profile, { key: `k-${i}` }, { fetch, throttle: { store } }) as unknown as Api).GET('/x');
    expect(keys.size).toBe(40);
  });

  it('takes any method name in request(), in any case, and exposes its profile', async () => {
    const fetch = createFakeFetch(() => ({ code: 0 }));
    const api = demo(fetch);
    expect(api.profile).toBe(profile);
    expect((await api.request('get', '/x')).data).toEqual({ code: 0 });
    expect(fetch.calls[0]).toMatchObject({ method: 'GET', path: '/x' });
  });
});
