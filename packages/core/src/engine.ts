/**
 * The transport under openapi-fetch. Every call goes through `execute()`, which runs the whole chain per
 * attempt: inject the credential, per-attempt timeout, send, read the envelope, decide (success / refresh the
 * token and retry once / back off and retry / fail). The request is rebuilt for every attempt.
 */
import {
  defaultHttpAction,
  ScrmApiError,
  ScrmErrorCause,
  ScrmHttpError,
  ScrmNetworkError,
  ScrmParseError,
  ScrmTimeoutError,
  type ScrmError,
  type ScrmErrorContext,
} from './errors.js';
import { logEvent, type Logger, type ScrmEvent } from './logger.js';
import type { EnvelopeSpec, ErrorAction, OperationMeta, VendorProfile } from './profile.js';
import type { Redactor } from './redact.js';
import { backoffDelay, parseRetryAfter, sleep, type ResolvedRetry } from './retry.js';
import { randomUUID } from 'node:crypto';
import { throttleKeys, type RateLimit, type RateLimitRule, type ThrottleStore } from './throttle.js';
import type { PlainRequest } from './plain-request.js';

export interface EngineOptions {
  profile: VendorProfile;
  fetch: typeof globalThis.fetch;
  retry: ResolvedRetry;
  timeoutMs: number;
  redactor: Redactor;
  credentials?: CredentialSource | undefined;
  logger?: Logger | undefined;
  onEvent?: ((event: ScrmEvent) => void) | undefined;
  random?: () => number;
  /** Client-side throttle: the store, the rules and the key prefix of this credential. */
  throttle?: { store: ThrottleStore; rules: readonly RateLimitRule[]; scope: string } | undefined;
}

/** A credential for one attempt and where it goes. */
export interface Credential {
  value: string;
  in: 'query' | 'body';
  name: string;
}

/** Supplies credentials per attempt (a managed token, or static console credentials). */
export interface CredentialSource {
  /** The credential for this call, or undefined when it takes none. */
  get(target: CallTarget): Promise<Credential | undefined>;
  /** The vendor refused `value` with one of `refreshOn`: drop it so that the next `get()` fetches a fresh one. */
  invalidate(value: string): Promise<void>;
  /** Result codes meaning "this credential is no longer valid" (empty for static credentials). */
  readonly refreshOn: readonly number[];
}

/** The call being executed: its path template and metadata (undefined for paths the spec does not know). */
export interface CallTarget {
  method: string;
  path: string;
  meta: OperationMeta | undefined;
  /** False for the token endpoint itself. */
  authenticated: boolean;
}

/** Filled by `execute()` when the final answer is a vendor error in the body. */
export interface CallState {
  apiError?: ScrmApiError;
  /**
   * Hand back the vendor's own (already read) response and keep the parsed body in `parsedBodies`, instead of
   * rebuilding a Response for openapi-fetch to read and parse a second time.
   */
  keepParsed?: boolean;
}

/** Parsed bodies of the responses `execute()` returned under `keepParsed`. */
export const parsedBodies = new WeakMap<Response, unknown>();

/** Codes of network failures where the request provably never reached the server. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);


type Decision =
  | { kind: 'success'; response: Response }
  | { kind: 'api-error'; response: Response; error: ScrmApiError }
  | { kind: 'refresh'; token: string; response: Response; error: ScrmApiError }
  | {
      kind: 'retry';
      reason: string;
      error: ScrmError;
      throttle?: boolean;
      retryAfterMs?: number | undefined;
      /** For a vendor error code: the answer to return as `error` once retries are exhausted. */
      response?: Response;
    }
  | { kind: 'throw'; error: ScrmError };

export class Engine {
  readonly #o: EngineOptions;
  readonly #random: () => number;
  readonly #throttleKeys = new Map<string, { key: string; limit: RateLimit }[]>();
  /** Whether anyone listens to events: when nobody does, no event object is built. */
  readonly #observed: boolean;

  constructor(options: EngineOptions) {
    this.#o = options;
    this.#random = options.random ?? Math.random;
    this.#observed = options.logger !== undefined || options.onEvent !== undefined;
  }

  get profile(): VendorProfile {
    return this.#o.profile;
  }

  async execute(request: Request | PlainRequest, target: CallTarget, state: CallState): Promise<Response> {
    const { profile, retry } = this.#o;
    let body = request.body ? await request.arrayBuffer() : undefined;
    const requestId = target.meta?.requestId;
    let json: Record<string, unknown> | undefined;
    const jsonBody = (): Record<string, unknown> => {
      if (json) return json;
      let parsed: unknown;
      try {
        parsed = body && body.byteLength > 0 ? JSON.parse(new TextDecoder().decode(body)) : {};
      } catch {
        parsed = undefined;
      }
      json = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      return json;
    };
    if (requestId) {
      // generated once, before the first attempt, so every retry carries the same id
      const fields = jsonBody();
      if (fields[requestId.param] === undefined || fields[requestId.param] === '') fields[requestId.param] = randomUUID();
      body = new TextEncoder().encode(JSON.stringify(fields)).buffer as ArrayBuffer;
    }
    const callerSignal = request.signal;
    const idempotent = target.meta?.idempotent ?? (target.method === 'GET' || target.method === 'HEAD');
    const context: ScrmErrorContext = {
      vendor: profile.vendor,
      operation: target.meta?.id,
      method: target.method,
      path: target.path,
    };
    let retries = 0;
    let refreshed = false;

    for (let attempt = 1; ; attempt++) {
      context.attempts = attempt;
      const credential = target.authenticated && this.#o.credentials ? await this.#o.credentials.get(target) : undefined;
      const url = credential?.in === 'query' ? withQueryParam(request.url, credential.name, credential.value) : request.url;
      let attemptBody = body;
      if (credential?.in === 'body') {
        attemptBody = new TextEncoder().encode(JSON.stringify({ ...jsonBody(), [credential.name]: credential.value })).buffer as ArrayBuffer;
      }

      let headers = request.headers;
      if (attemptBody !== body || (requestId && attemptBody)) {
        headers = new Headers(headers);
        headers.set('content-type', 'application/json');
      }
      const token = credential?.value;

      await this.#throttle(target, attempt, callerSignal);
      // One controller per attempt, aborted by its timer or by the caller's signal (cheaper than AbortSignal.any).
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException('attempt timed out', 'TimeoutError')), this.#o.timeoutMs);
      const onCallerAbort = () => controller.abort(callerSignal.reason);
      if (callerSignal.aborted) onCallerAbort();
      else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
      const init: RequestInit = { method: request.method, headers, signal: controller.signal, redirect: request.redirect };
      if (attemptBody && attemptBody.byteLength > 0 && request.method !== 'GET' && request.method !== 'HEAD') init.body = attemptBody;
      if (this.#observed) this.#emit({ type: 'request', vendor: profile.vendor, operation: target.meta?.id, method: target.method, path: target.path, attempt });
      const started = performance.now();
      let decision: Decision;
      try {
        decision = await this.#attempt(url, init, target, context, { token, idempotent, callerSignal, timeoutSignal: controller.signal, started, attempt, keepParsed: state.keepParsed === true });
      } finally {
        clearTimeout(timer);
        callerSignal.removeEventListener('abort', onCallerAbort);
      }

      switch (decision.kind) {
        case 'success':
          return decision.response;
        case 'api-error':
          state.apiError = decision.error;
          return decision.response;
        case 'throw':
          throw decision.error;
        case 'refresh':
          if (refreshed || !this.#o.credentials) {
            // the fresh token was refused too: surface the error, never loop
            state.apiError = decision.error;
            return decision.response;
          }
          refreshed = true;
          await this.#o.credentials.invalidate(decision.token);
          if (this.#observed) this.#emit({ type: 'retry', vendor: profile.vendor, operation: target.meta?.id, method: target.method, path: target.path, attempt, reason: 'token rejected', delayMs: 0 });
          continue;
        case 'retry': {
          const giveUp = () => {
            if (decision.response && decision.error instanceof ScrmApiError) {
              state.apiError = decision.error;
              return decision.response;
            }
            throw decision.error;
          };
          if (retries >= retry.maxRetries) return giveUp();
          retries++;
          const base = decision.throttle ? Math.max(retry.throttleDelayMs, retry.baseDelayMs) : retry.baseDelayMs;
          let delay = backoffDelay(retries, base, Math.max(retry.maxDelayMs, base), this.#random);
          if (decision.retryAfterMs !== undefined) {
            if (decision.retryAfterMs > retry.maxRetryAfterMs) return giveUp();
            delay = Math.max(delay, decision.retryAfterMs);
          }
          if (this.#observed) this.#emit({ type: 'retry', vendor: profile.vendor, operation: target.meta?.id, method: target.method, path: target.path, attempt, reason: decision.reason, delayMs: delay });
          // a rate-limit answer holds back every request of this operation, not only this retry
          if (decision.throttle) await this.#penalize(target, delay);
          await sleep(delay, callerSignal);
          continue;
        }
      }
    }
  }

  async #attempt(
    url: string,
    init: RequestInit,
    target: CallTarget,
    context: ScrmErrorContext,
    a: {
      token: string | undefined;
      idempotent: boolean;
      callerSignal: AbortSignal;
      timeoutSignal: AbortSignal;
      started: number;
      attempt: number;
      keepParsed: boolean;
    },
  ): Promise<Decision> {
    const { profile, redactor } = this.#o;
    const ctx = { ...context };
    let response: Response;
    let text: string;
    try {
      response = await this.#o.fetch(url, init);
      text = await response.text();
    } catch (error) {
      if (a.callerSignal.aborted) throw a.callerSignal.reason;
      if (a.timeoutSignal.aborted) {
        // the caller's signal was checked first, so an abort here is this attempt's timer
        const err = new ScrmTimeoutError(this.#o.timeoutMs, ctx, a.idempotent);
        return a.idempotent ? { kind: 'retry', reason: 'timeout', error: err } : { kind: 'throw', error: err };
      }
      const code = networkCode(error);
      const notSent = code !== undefined && NOT_SENT_CODES.has(code);
      const retryable = a.idempotent || notSent;
      const err = new ScrmNetworkError(
        { code, requestNotSent: notSent, retryable, cause: sanitizeCause(error, redactor) },
        ctx,
      );
      return retryable ? { kind: 'retry', reason: `network ${code ?? 'error'}`, error: err } : { kind: 'throw', error: err };
    }

    const durationMs = Math.round(performance.now() - a.started);
    // the response event; `code` is given once the envelope was read (even when the body carries none)
    const responded = (...code: [number | string | undefined] | []) => {
      if (!this.#observed) return;
      const event = { type: 'response', vendor: profile.vendor, operation: target.meta?.id, method: target.method, path: target.path, attempt: a.attempt, status: response.status, durationMs } as const;
      this.#emit(code.length === 0 ? event : { ...event, code: code[0] });
    };
    const contentType = response.headers.get('content-type') ?? undefined;

    if (!response.ok) {
      responded();
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const documented = profile.httpErrors?.[String(response.status)];
      const action = documented?.action ?? defaultHttpAction(response.status);
      const retryable = a.idempotent && (action === 'retry' || action === 'throttle');
      const err = new ScrmHttpError(
        {
          status: response.status,
          statusText: response.statusText,
          bodySnippet: snippet(text, redactor),
          retryAfterMs,
          retryable,
          vendorName: documented?.name,
          action,
        },
        ctx,
      );
      return retryable
        ? { kind: 'retry', reason: `HTTP ${response.status}`, error: err, retryAfterMs, throttle: action === 'throttle' }
        : { kind: 'throw', error: err };
    }

    const envelope = target.meta?.envelope ?? profile.envelope;
    let body: unknown;
    const looksHtml = /html/i.test(contentType ?? '') || /^\s*</.test(text);
    try {
      body = looksHtml ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    // what the caller gets back as `response`, with its `url` (the URL called, credential and all) redacted
    const copy = () => new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    const rebuilt = () => {
      let out = a.keepParsed ? response : copy();
      if (!redactUrl(out, response.url, redactor)) {
        // a response whose url cannot be redefined (frozen, or a non-configurable own `url`): hand back a copy
        out = copy();
        redactUrl(out, response.url, redactor);
      }
      if (a.keepParsed) parsedBodies.set(out, body);
      return out;
    };
    if (envelope.none && body !== undefined) {
      responded();
      return { kind: 'success', response: rebuilt() };
    }
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      responded();
      const kind = looksHtml ? 'html' : body === undefined ? 'json' : 'envelope';
      const err = new ScrmParseError(
        { status: response.status, contentType, kind, bodySnippet: snippet(text, redactor), retryable: a.idempotent },
        ctx,
      );
      return a.idempotent ? { kind: 'retry', reason: `unparseable body (${kind})`, error: err } : { kind: 'throw', error: err };
    }

    const record = body as Record<string, unknown>;
    const rawCode = record[envelope.code];
    responded(rawCode as number | string | undefined);

    if (rawCode === undefined || rawCode === null) {
      if (envelope.codeOptional) return { kind: 'success', response: rebuilt() };
      const err = new ScrmParseError(
        { status: response.status, contentType, kind: 'envelope', bodySnippet: snippet(text, redactor), retryable: false },
        ctx,
      );
      return { kind: 'throw', error: err };
    }
    if (isSuccessCode(rawCode, envelope)) return { kind: 'success', response: rebuilt() };

    const code = normalizeCode(rawCode);
    const numeric = typeof code === 'number' ? code : Number.NaN;
    const action: ErrorAction = profile.errorActions[String(code)] ?? 'fail';
    const vendorMessage = redactor.text(textOf(record[envelope.message] ?? ''));
    const apiError = new ScrmApiError(
      { code, vendorMessage, action, httpStatus: response.status, requestId: requestIdOf(response, vendorMessage) },
      ctx,
    );
    if (target.authenticated && a.token !== undefined && (this.#o.credentials?.refreshOn ?? []).includes(numeric)) {
      return { kind: 'refresh', token: a.token, response: rebuilt(), error: apiError };
    }
    if ((action === 'retry' || action === 'throttle') && a.idempotent) {
      return { kind: 'retry', reason: `code ${code}`, error: apiError, throttle: action === 'throttle', response: rebuilt() };
    }
    return { kind: 'api-error', response: rebuilt(), error: apiError };
  }

  /** The throttle keys of an operation: fixed per engine (rules and scope do not change), so built once each. */
  #keys(target: CallTarget): readonly { key: string; limit: RateLimit }[] {
    const t = this.#o.throttle;
    if (!t || t.rules.length === 0) return [];
    const id = target.meta?.id ?? `${target.method} ${target.path}`;
    let keys = this.#throttleKeys.get(id);
    if (!keys) {
      keys = throttleKeys(t.rules, t.scope, { id, group: target.meta?.rateLimitGroup });
      this.#throttleKeys.set(id, keys);
    }
    return keys;
  }

  async #throttle(target: CallTarget, attempt: number, signal: AbortSignal): Promise<void> {
    const keys = this.#keys(target);
    if (keys.length === 0) return;
    const now = Date.now();
    let wait = 0;
    for (const { key, limit } of keys) wait = Math.max(wait, await this.#o.throttle!.store.reserve(key, limit, now));
    if (wait > 0) {
      const { profile } = this.#o;
      if (this.#observed) this.#emit({ type: 'throttle-wait', vendor: profile.vendor, operation: target.meta?.id, method: target.method, path: target.path, attempt, waitMs: wait });
      await sleep(wait, signal);
    }
  }

  async #penalize(target: CallTarget, ms: number): Promise<void> {
    const now = Date.now();
    for (const { key, limit } of this.#keys(target)) await this.#o.throttle!.store.penalize(key, now + ms, limit, now);
  }

  #emit(event: ScrmEvent): void {
    logEvent(this.#o.logger, event);
    this.#o.onEvent?.(event);
  }
}

/**
 * Makes `response.url` show `url` redacted. A real `fetch` sets `response.url` to the URL requested, so the
 * credential injected into the query (`access_token`, `token`, `apiKey`…) would be handed back to the caller, who
 * may log it. `url` is a read-only getter of `Response.prototype`: an own getter on the instance shadows it (no
 * copy of the body, status or headers), and redacts on first read, since most callers never read it. An empty url
 * (a fake fetch, a `new Response()`) is left as it is. False when the response refuses the property.
 */
function redactUrl(response: Response, url: string, redactor: Redactor): boolean {
  if (url === '') return true;
  let redacted: string | undefined;
  return Reflect.defineProperty(response, 'url', { get: () => (redacted ??= redactor.url(url)), enumerable: false, configurable: true });
}

/** `url` with `name=value` in its query: appended when absent (the common case, no URL parsing), else replaced. */
function withQueryParam(url: string, name: string, value: string): string {
  const hash = url.indexOf('#');
  const query = url.indexOf('?');
  const params = query === -1 ? '' : url.slice(query + 1, hash === -1 ? undefined : hash);
  const present = params !== '' && new URLSearchParams(params).has(name);
  if (hash !== -1 || present) {
    const parsed = new URL(url);
    parsed.searchParams.set(name, value);
    return parsed.href;
  }
  return `${url}${query === -1 ? '?' : params === '' ? '' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
}

function isSuccessCode(code: unknown, envelope: EnvelopeSpec): boolean {
  return envelope.success.some(
    (s) => s === code || (typeof code === 'string' && code.trim() !== '' && Number(code) === Number(s)),
  );
}

function normalizeCode(code: unknown): number | string {
  if (typeof code === 'number') return code;
  if (typeof code === 'string' && /^-?\d+$/.test(code.trim())) return Number(code.trim());
  return textOf(code);
}

/** A field of a vendor's answer as text, as `String()` gives it; a hostile `{"toString": null}` cannot make it throw. */
function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function requestIdOf(response: Response, message: string): string | undefined {
  return (
    response.headers.get('x-request-id') ??
    response.headers.get('request-id') ??
    /hint:\s*\[([^\]]+)\]/.exec(message)?.[1] ??
    undefined
  );
}

function snippet(text: string, redactor: Redactor): string {
  // redact before cutting, so that a secret is never cut in half and half of it kept
  return redactor.text(text.slice(0, 2048)).slice(0, 500);
}

function networkCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

function sanitizeCause(error: unknown, redactor: Redactor): ScrmErrorCause {
  const e = error as { name?: unknown; message?: unknown; cause?: { message?: unknown } } | undefined;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const inner = typeof e?.cause?.message === 'string' ? `: ${e.cause.message}` : '';
  const message = redactor.text(`${typeof e?.message === 'string' ? e.message : String(error)}${inner}`);
  return new ScrmErrorCause(name, message, networkCode(error));
}
