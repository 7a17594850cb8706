/**
 * Test helpers for code that uses an @scrm-openapi client: a fake `fetch` that records every call and answers
 * from a handler. No network, no mocking library.
 *
 *     const fake = createFakeFetch((call) => call.path === '/cgi-bin/gettoken' ? { errcode: 0, access_token: 't', expires_in: 7200 } : { errcode: 0 });
 *     const client = createWecomClient({ corpId, corpSecret, fetch: fake });
 */
import { inspect } from 'node:util';
import { ScrmCallbackError } from './errors.js';
import type { Logger } from './logger.js';

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

/**
 * How a callback receiver answered: the `reason` of the `ScrmCallbackError` it rejected with, `'accepted'` when it
 * resolved, or a description of any other error (which a receiver should never throw).
 *
 *     expect(await callbackOutcome(receiver.parse(query, tamperedBody))).toBe('bad-signature');
 */
export async function callbackOutcome(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
    return 'accepted';
  } catch (error) {
    return rejectionReason(error);
  }
}

/** `callbackOutcome` for synchronous checks (`WxBizMsgCrypt.verify`, `.decrypt`). */
export function callbackOutcomeSync(check: () => unknown): string {
  try {
    check();
    return 'accepted';
  } catch (error) {
    return rejectionReason(error);
  }
}

function rejectionReason(error: unknown): string {
  return error instanceof ScrmCallbackError ? error.reason : `not a callback error: ${String(error)}`;
}

type SpecWebhooks = { webhooks?: Record<string, { post?: { requestBody?: { content?: Record<string, { example?: unknown }> } } }> };

/**
 * The JSON example of every webhook in a bundled spec (`@scrm-openapi/<vendor>-spec/openapi.json`), by webhook key:
 * the documented callbacks, ready to feed a receiver. Throws when a webhook has no JSON example.
 */
export function webhookExamples<Key extends string = string>(spec: SpecWebhooks): Record<Key, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, hook] of Object.entries(spec.webhooks ?? {})) {
    const example = hook.post?.requestBody?.content?.['application/json']?.example;
    if (example === null || typeof example !== 'object') throw new Error(`webhook ${key} has no JSON example`);
    out[key] = example as Record<string, unknown>;
  }
  return out as Record<Key, Record<string, unknown>>;
}

/**
 * A logger (pino-style, or for `console`) that keeps every line it is given, as text, in `lines` (a fresh list, or
 * the one passed in): for checking what is logged.
 */
export function captureLogger(lines: string[] = []): Logger & { lines: string[] } {
  const log = (obj: Record<string, unknown>, msg?: string) => {
    lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
  };
  return { lines, debug: log, info: log, warn: log, error: log };
}

/**
 * Everything an error exposes, as one text: message, stack, enumerable properties (deep, as JSON) and the inspected
 * form with hidden properties and causes. For checking that no secret reaches any of them.
 */
export function everythingIn(error: unknown): string {
  const parts: string[] = [String(error)];
  if (error instanceof Error) parts.push(error.message, error.stack ?? '');
  parts.push(JSON.stringify(error, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ?? '');
  parts.push(inspect(error, { depth: 8, showHidden: true }));
  return parts.join('\n');
}
