/**
 * Test helpers for code that uses an @scrm-openapi client: a fake `fetch` that records every call and answers
 * from a handler. No network, no mocking library.
 *
 *     const fake = createFakeFetch((call) => call.path === '/cgi-bin/gettoken' ? { errcode: 0, access_token: 't', expires_in: 7200 } : { errcode: 0 });
 *     const client = createWecomClient({ corpId, corpSecret, fetch: fake });
 */

export interface FakeCall {
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** The parsed JSON body (or the raw text when it is not JSON; undefined without a body). */
  readonly body: unknown;
  readonly headers: Headers;
  /** The signal of the attempt (aborted on timeout). */
  readonly signal: AbortSignal;
}

/** What a handler may answer: a Response, a plain object (sent as JSON, HTTP 200), or a thrown error. */
export type FakeAnswer = Response | Record<string, unknown> | unknown[];
export type FakeHandler = (call: FakeCall, index: number) => FakeAnswer | Promise<FakeAnswer>;

export type FakeFetch = typeof globalThis.fetch & { readonly calls: FakeCall[] };

export function createFakeFetch(handler: FakeHandler): FakeFetch {
  const calls: FakeCall[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = request.body ? await request.text() : '';
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const call: FakeCall = {
      method: request.method,
      url,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      headers: request.headers,
      signal: request.signal,
    };
    calls.push(call);
    const answer = await handler(call, calls.length - 1);
    return answer instanceof Response ? answer : jsonResponse(answer);
  };
  return Object.assign(fake, { calls }) as FakeFetch;
}

/** A JSON response (HTTP 200 unless `init.status` says otherwise). */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    ...init,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(init.headers as Record<string, string> | undefined) },
  });
}

/** Resolves after `ms`, or rejects when `signal` aborts (to fake a slow server that honours the timeout). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
