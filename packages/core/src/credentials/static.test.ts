// Static credentials as a user meets them: which option is required up front and the exact error naming it, which
// credential an operation sends (its own, its fallback, the default) and where, and the one retry on a refused key.
import { describe, expect, it } from 'vitest';
import { createScrmClient } from '../client.js';
import { ScrmConfigError } from '../errors.js';
import type { ScrmEvent } from '../logger.js';
import type { StaticAuth, VendorProfile } from '../profile.js';
import { createFakeFetch, everythingIn, type FakeHandler } from '../testing.js';
import { unwrap } from '../unwrap.js';

const profileWith = (auth: Partial<StaticAuth> = {}): VendorProfile => ({
  vendor: 'hub',
  baseUrl: 'https://api.hub.invalid',
  envelope: { code: 'code', message: 'msg', success: [0] },
  auth: {
    type: 'static',
    credentials: { main: 'apiKey', group: 'groupKey' },
    default: 'main',
    inject: { in: 'query', name: 'key' },
    ...auth,
  },
  errorActions: { '401': 'refresh-token' },
  operations: {
    'GET /a': { id: 'a', idempotent: true },
    'GET /group': { id: 'groupOp', idempotent: true, credential: { use: 'group' } },
    'POST /group/body': { id: 'groupBody', idempotent: true, credential: { use: 'group', in: 'body', name: 'group_token' } },
    'GET /maybe': { id: 'maybe', idempotent: true, credential: { use: 'group', fallback: 'main' } },
    'GET /neither': { id: 'neither', idempotent: true, credential: { use: 'group', fallback: 'other' } },
  },
  secretParams: ['key'],
});
type Api = {
  GET(path: string): Promise<{ data?: unknown; error?: unknown }>;
  POST(path: string, init?: unknown): Promise<{ data?: unknown; error?: unknown }>;
};
const client = (
  credentials: Record<string, string>,
  handler: FakeHandler = () => ({ code: 0 }),
  auth: Partial<StaticAuth> = {},
  onEvent?: (e: ScrmEvent) => void,
) => {
  const fetch = createFakeFetch(handler);
  const api = createScrmClient(profileWith(auth), credentials, {
    fetch,
    retry: { baseDelayMs: 1 },
    ...(onEvent ? { onEvent } : {}),
  }) as unknown as Api;
  return { api, fetch };
};
const configMessage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScrmConfigError);
    expect(e).toMatchObject({ vendor: 'hub' });
    return (e as Error).message;
  }
  throw new Error('no ScrmConfigError');
};

describe('required options', () => {
  it('requires the default credential up front, with a message naming its option', () => {
    for (const credentials of [{}, { apiKey: '' }, { apiKey: '   ' }] as Record<string, string>[]) {
      expect(configMessage(() => client(credentials))).toBe('hub: option `apiKey` is required and must be a non-empty string');
    }
  });

  it('refuses a credential that is not a string (a JavaScript caller passing a number)', () => {
    expect(configMessage(() => client({ apiKey: 12345 as unknown as string }))).toBe(
      'hub: option `apiKey` is required and must be a non-empty string',
    );
  });

  it('accepts an unset optional credential, but not a blank one', () => {
    expect(() => client({ apiKey: 'k-main-0001' })).not.toThrow();
    expect(configMessage(() => client({ apiKey: 'k-main-0001', groupKey: ' ' }))).toBe(
      'hub: option `groupKey` is required and must be a non-empty string',
    );
  });

  it('names the default by its option when the default credential id is itself an option name', () => {
    expect(configMessage(() => client({}, undefined, { credentials: { apiKey: 'apiKey' }, default: 'apiKey' }))).toMatch(/option `apiKey`/);
  });

  it('registers every configured credential for redaction', async () => {
    const { api } = client({ apiKey: 'k-main-0001', groupKey: 'k-group-0001' }, () => ({
      code: 7,
      msg: 'keys k-main-0001 and k-group-0001 are odd',
    }));
    const error = await api.GET('/a').then((r) => r.error);
    // the vendor message carrying both keys is redacted in the typed error
    let thrown: unknown;
    try {
      unwrap({ error, response: new Response() });
    } catch (e) {
      thrown = e;
    }
    expect(everythingIn(thrown)).not.toContain('k-main-0001');
    expect(everythingIn(thrown)).not.toContain('k-group-0001');
  });
});

describe('the credential an operation sends', () => {
  it("sends the default credential, or the operation's own, under the vendor's name in the query", async () => {
    const { api, fetch } = client({ apiKey: 'k-main-0001', groupKey: 'k-group-0001' });
    await api.GET('/a');
    await api.GET('/group');
    expect(fetch.calls.map((c) => c.query)).toEqual([{ key: 'k-main-0001' }, { key: 'k-group-0001' }]);
  });

  it("sends an operation's credential where and under the name it says", async () => {
    const { api, fetch } = client({ apiKey: 'k-main-0001', groupKey: 'k-group-0001' });
    await api.POST('/group/body', { body: { text: 'hi' } });
    expect(fetch.calls[0]?.query).toEqual({});
    expect(fetch.calls[0]?.body).toEqual({ text: 'hi', group_token: 'k-group-0001' });
  });

  it("uses the fallback only when the operation's own credential is not configured", async () => {
    const one = client({ apiKey: 'k-main-0001' });
    await one.api.GET('/maybe');
    const both = client({ apiKey: 'k-main-0001', groupKey: 'k-group-0001' });
    await both.api.GET('/maybe');
    expect([one.fetch.calls[0]?.query.key, both.fetch.calls[0]?.query.key]).toEqual(['k-main-0001', 'k-group-0001']);
  });

  it('names the operation and the missing option when neither the credential nor its fallback is configured', async () => {
    const { api, fetch } = client({ apiKey: 'k-main-0001' });
    const error = await api.GET('/neither').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScrmConfigError);
    expect((error as Error).message).toBe('hub: neither needs the `groupKey` option');
    expect(fetch.calls).toHaveLength(0);
  });
});

describe('a refused static key', () => {
  it('is sent once more when the profile lists the code in refreshOn, then the error is returned', async () => {
    const events: ScrmEvent[] = [];
    const { api, fetch } = client(
      { apiKey: 'k-main-0001' },
      () => ({ code: 401, msg: 'bad key' }),
      { refreshOn: [401] },
      (e) => events.push(e),
    );
    const { error } = await api.GET('/a');
    expect(error).toEqual({ code: 401, msg: 'bad key' });
    expect(fetch.calls).toHaveLength(2);
    expect(events.filter((e) => e.type === 'retry').map((e) => (e as { reason: string }).reason)).toEqual(['token rejected']);
  });

  it('is returned at once without refreshOn', async () => {
    const { api, fetch } = client({ apiKey: 'k-main-0001' }, () => ({ code: 401, msg: 'bad key' }));
    expect((await api.GET('/a')).error).toEqual({ code: 401, msg: 'bad key' });
    expect(fetch.calls).toHaveLength(1);
  });
});
