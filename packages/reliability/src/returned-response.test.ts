// What a caller gets back carries no credential. With a real `fetch`, `response.url` is the URL that was requested,
// query and all — `?access_token=…`, `?token=…`, `?apiKey=…` — so this runs every vendor's client (from the
// registry) with no custom fetch against the sandbox, through successful calls, vendor errors in the body, thrown
// errors and refused credentials, and checks the returned `response.url`, every error, log line and event for every credential and issued token.
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startMockServer, type MockServer, type VendorName } from '@scrm-openapi/mock-server';
import { ScrmApiError, ScrmHttpError, unwrap } from '@scrm-openapi/wecom';
import { SecretSweep } from './sweep.js';
import { invalidCall, loadVendorClients, secretOptions, successCalls, type AnyClient, type Call } from './vendor-clients.js';

// every vendor of the repository, from the registry
const VENDORS = await loadVendorClients();
const VENDOR_NAMES = VENDORS.map((v) => v.vendor.name);
const byName = (vendor: VendorName) => VENDORS.find((v) => v.vendor.name === vendor)!;

/** Query parameters that carry a credential: the union of the profiles' `secretParams`. */
const SECRET_PARAMS = [...new Set(VENDORS.flatMap(({ vendor, create }) => create({ ...vendor.sandboxCredentials }).profile.secretParams))];

/** Per vendor: calls that succeed on the sandbox (one per credential the vendor uses). */
const CALLS: Record<VendorName, Call[]> = Object.fromEntries(VENDORS.map(({ vendor, spec }) => [vendor.name, successCalls(spec)]));

/** Per vendor: a call the sandbox refuses with the vendor's parameter-error code in the body (a required field is missing). */
const INVALID: Record<VendorName, Call> = Object.fromEntries(VENDORS.map(({ vendor, spec }) => [vendor.name, invalidCall(spec)]));

/**
 * How each vendor refuses a wrong credential, from its spec's `x-scrm-sandbox.invalidToken`: a code in the body (the
 * token endpoint's, or the business call's) is a ScrmApiError, a bare HTTP status a ScrmHttpError.
 */
const REFUSED: Record<VendorName, typeof ScrmApiError | typeof ScrmHttpError> = Object.fromEntries(
  VENDORS.map(({ vendor, spec }) => [vendor.name, typeof spec['x-scrm-sandbox'].invalidToken === 'object' ? ScrmHttpError : ScrmApiError]),
);

let sandbox: MockServer;
let fetchSpy: MockInstance<typeof fetch>;
const sweep = new SecretSweep();
/** Every credential and token the clients sent (read back from the calls made through the real `fetch`). */
const sentSecrets = new Set<string>();

function create(vendor: VendorName, credentials: Record<string, string>, extra: Record<string, unknown> = {}): AnyClient {
  // no `fetch` option: the client takes globalThis.fetch, i.e. undici, which sets `response.url`
  const options = {
    ...credentials,
    baseUrl: `${sandbox.url}/${vendor}`,
    retry: false,
    logger: sweep.logger(),
    onEvent: sweep.onEvent,
    ...extra,
  };
  return byName(vendor).create(options);
}

/** The credentials and tokens sent so far, learnt from the URLs and bodies the real fetch was given. */
function learnSentSecrets(): void {
  for (const [input, init] of fetchSpy.mock.calls) {
    const url = new URL(input instanceof Request ? input.url : String(input));
    for (const name of SECRET_PARAMS) {
      const value = url.searchParams.get(name);
      if (value) sentSecrets.add(value);
    }
    if (typeof init?.body === 'string' || init?.body instanceof ArrayBuffer) {
      const text = typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body);
      for (const name of SECRET_PARAMS) {
        const match = new RegExp(`"${name}"\\s*:\\s*"([^"]+)"`).exec(text);
        if (match?.[1]) sentSecrets.add(match[1]);
      }
    }
  }
  sweep.add(...sentSecrets);
}

/** `response.url` is the URL called, with every credential parameter redacted and no credential value anywhere. */
function expectSafeResponse(response: Response, path: string) {
  expect(response.url, 'response.url is the URL that was called').toContain(path);
  const url = new URL(response.url);
  for (const name of SECRET_PARAMS) {
    const value = url.searchParams.get(name);
    if (value !== null) expect(value, `${name} in ${response.url}`).toBe('[REDACTED]');
  }
  learnSentSecrets();
  for (const secret of [...sentSecrets, ...allCredentials()]) {
    expect(response.url).not.toContain(secret);
    expect(response.url).not.toContain(encodeURIComponent(secret));
  }
  // the rest of the response is intact
  expect(response.headers.get('content-type')).toMatch(/json/);
}

const allCredentials = () => Object.values(sandbox.credentials).flatMap((c) => Object.values(c as Record<string, string>));

beforeAll(async () => {
  sandbox = await startMockServer();
  // a spy that calls through: the clients still use the real fetch and get its real Response
  fetchSpy = vi.spyOn(globalThis, 'fetch');
  sweep.add(...allCredentials());
});
afterAll(async () => {
  fetchSpy?.mockRestore();
  await sandbox?.close();
});

describe.each(VENDOR_NAMES)('%s with the real fetch', (vendor) => {
  it('a successful call returns a response whose url carries no credential', async () => {
    const client = create(vendor, sandbox.credentials[vendor]);
    for (const call of CALLS[vendor]!) {
      const result = await client[call.method](call.path, call.init);
      expect(result.error, `${call.path} succeeds`).toBeUndefined();
      expect(result.data).toBeDefined();
      expect(result.response.ok).toBe(true);
      expectSafeResponse(result.response, call.path);
      // request() and GET/POST share the call path, but are checked on their own
      const viaRequest = await client.request(call.method, call.path, call.init);
      expect(viaRequest.error).toBeUndefined();
      expectSafeResponse(viaRequest.response, call.path);
    }
  });

  it('a vendor error in the body returns a response whose url carries no credential', async () => {
    const client = create(vendor, sandbox.credentials[vendor]);
    const call = INVALID[vendor]!;
    for (const send of [() => client[call.method](call.path, call.init), () => client.request(call.method, call.path, call.init)]) {
      const result = await send();
      expect(result.error, `${call.path} answers the parameter-error code`).toBeDefined();
      expect(result.data).toBeUndefined();
      expectSafeResponse(result.response, call.path);
      let thrown: unknown;
      try {
        unwrap(result as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ScrmApiError);
      sweep.error(thrown);
    }
  });

  it('a thrown error (HTTP 500) carries no credential', async () => {
    const client = create(vendor, sandbox.credentials[vendor]);
    for (const call of CALLS[vendor]!) {
      sandbox.injectFault({ vendor, operation: call.operation, kind: 'http-500', count: 1 });
      const error = await client[call.method](call.path, call.init).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `${call.path} throws`).toBeInstanceOf(ScrmHttpError);
      sweep.error(error);
    }
  });

  it('a refused credential is not shown in the thrown error', async () => {
    const wrong = Object.fromEntries(Object.entries(sandbox.credentials[vendor]).map(([k, v]) => [k, `${v}-WRONG`]));
    sweep.add(...Object.values(wrong));
    const call = CALLS[vendor]![0]!;
    const error = await create(vendor, wrong)
      [call.method](call.path, call.init)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // token-endpoint vendors: the token endpoint refuses the secret; static keys: the call itself is refused
    expect(error).toBeInstanceOf(REFUSED[vendor]!);
    sweep.error(error);
  });
});

describe('other ways of reading the answer', () => {
  it('with a middleware and parseAs text, the response is rebuilt: url redacted, status, headers and body intact', async () => {
    const client = create('wecom', sandbox.credentials.wecom) as AnyClient & { use(m: unknown): void };
    const seen: string[] = [];
    client.use({ onResponse: ({ response }: { response: Response }) => void seen.push(response.url) });
    const path = '/cgi-bin/externalcontact/get_follow_user_list';
    const { data, response } = await client.GET(path, { parseAs: 'text' });
    expect(response.status).toBe(200);
    expect(JSON.parse(data as string)).toMatchObject({ errcode: 0 });
    expectSafeResponse(response, path);
    // a middleware sees the same redacted response
    expect(seen).toEqual([response.url]);
  });

  it('paginate() pages through the sandbox and exposes nothing of the token when a page fails', async () => {
    const client = create('wecom', sandbox.credentials.wecom) as AnyClient & {
      paginate(path: string, init?: unknown, options?: unknown): { toArray(): Promise<unknown[]> };
    };
    const path = '/cgi-bin/externalcontact/groupchat/list';
    const init = { body: { limit: 10 } };
    expect((await client.paginate(path, init).toArray()).length).toBeGreaterThan(0);
    sandbox.injectFault({ vendor: 'wecom', operation: 'groupchatList', kind: 'http-500', count: 1 });
    const error = await client
      .paginate(path, init)
      .toArray()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ScrmHttpError);
    sweep.error(error);
  });
});

describe('the sweep over everything the clients exposed', () => {
  it('finds no credential or token in any error, log line or event', () => {
    learnSentSecrets();
    // the sweep knows what was sent: every secret of every vendor, and a token from each token-endpoint vendor
    for (const { vendor, spec } of VENDORS) {
      const credentials = sandbox.credentials[vendor.name] as Record<string, string>;
      for (const option of secretOptions(spec))
        expect(sentSecrets.has(credentials[option]!), `${vendor.name} ${option} was sent`).toBe(true);
      if (spec['x-scrm-auth'].type === 'token-endpoint') {
        expect(
          [...sentSecrets].some((s) => s.startsWith(`sandbox-${vendor.name}-token-`)),
          `a ${vendor.name} token was sent`,
        ).toBe(true);
      }
    }
    expect(sweep.texts.length).toBeGreaterThan(20);
    expect(sweep.leaks()).toEqual([]);
  });
});
