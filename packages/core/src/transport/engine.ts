/**
 * The transport under openapi-fetch. Every call goes through `execute()`, which runs the whole chain per
 * attempt: inject the credential, wait for the throttle, send with a per-attempt timeout, classify the answer
 * (`classify.ts`) and act on the decision: return it, refresh the credential and send once more, back off and
 * retry, or throw. The request is rebuilt for every attempt. The result is returned as an `Outcome`.
 */
import { randomUUID } from 'node:crypto';
import type { ScrmApiError, ScrmErrorContext } from '../errors.js';
import { logEvent, type Logger, type ScrmEvent } from '../logger.js';
import type { VendorProfile } from '../profile.js';
import { onAbort } from '../abort-relay.js';
import { NEVER_ABORTED, type PlainRequest } from '../plain-request.js';
import type { Redactor } from '../redact.js';
import { backoffDelay, sleep, type ResolvedRetry } from '../retry.js';
import { throttleKeys, type RateLimit, type RateLimitRule, type ThrottleStore } from '../throttle.js';
import type { CredentialSource } from '../credentials/source.js';
import { classifyAnswer, classifyFailure, type Answer, type Classified, type Decision } from './classify.js';
import type { CallTarget } from './target.js';

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

/** The final answer of a call: the vendor's (already read) response, its text and parsed body, and the vendor error in it. */
export interface Outcome {
  /** The vendor's response; its body has been read (use `text`). Its `url` may carry a credential. */
  readonly response: Response;
  readonly text: string;
  /** The parsed JSON body. */
  readonly body: unknown;
  /** Set when the body carries a vendor error code (the call is returned as openapi-fetch's `error`). */
  readonly error?: ScrmApiError | undefined;
  /** The body's bytes, for an operation whose answer is a file (`OperationMeta.binary`); then `body` is a file's bytes or an envelope. */
  readonly bytes?: ArrayBuffer | undefined;
}

/** One attempt as sent: the URL with its credential, the init, and the credential value (to invalidate it). */
interface Attempt {
  url: string;
  init: RequestInit;
  token: string | undefined;
}

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

  async execute(request: Request | PlainRequest, target: CallTarget): Promise<Outcome> {
    const { retry } = this.#o;
    const body = new RequestBody(request.body ? await request.arrayBuffer() : undefined);
    // generated once, before the first attempt, so every retry carries the same id
    const requestId = target.meta?.requestId;
    if (requestId) body.fillRequestId(requestId.param);
    const idempotent = target.idempotent ?? target.meta?.idempotent ?? (target.method === 'GET' || target.method === 'HEAD');
    const context: ScrmErrorContext = {
      vendor: this.#o.profile.vendor,
      operation: target.meta?.id,
      method: target.method,
      path: target.path,
    };
    // a call made without a signal shares one that never aborts: listening to it would only pile up listeners
    const signal = request.signal === NEVER_ABORTED ? undefined : request.signal;
    let retries = 0;
    let refreshed = false;

    for (let attempt = 1; ; attempt++) {
      context.attempts = attempt;
      const sent = await this.#prepare(request, target, body);
      await this.#throttle(target, attempt, signal);
      const { decision, answer } = await this.#send(sent, target, { ...context }, idempotent, attempt, signal);
      // every decision with a body came from an answer (only a failed fetch has none)
      const outcome = (d: { body: unknown; error?: ScrmApiError | undefined }): Outcome => ({
        response: answer!.response,
        text: answer!.text,
        body: d.body,
        error: d.error,
        bytes: answer!.bytes,
      });

      switch (decision.kind) {
        case 'success':
        case 'api-error':
          return outcome(decision);
        case 'throw':
          throw decision.error;
        case 'refresh':
          // the fresh token was refused too: return the error, never loop
          if (refreshed || !this.#o.credentials || sent.token === undefined) return outcome(decision);
          refreshed = true;
          await this.#o.credentials.invalidate(sent.token);
          this.#emitRetry(target, attempt, 'token rejected', 0);
          continue;
        case 'retry': {
          // out of retries, or asked to wait longer than allowed: a vendor error code is returned, anything else thrown
          const giveUp = (): Outcome => {
            if (decision.body === undefined) throw decision.error;
            return outcome({ body: decision.body, error: decision.error as ScrmApiError });
          };
          if (retries >= retry.maxRetries) return giveUp();
          if (decision.retryAfterMs !== undefined && decision.retryAfterMs > retry.maxRetryAfterMs) return giveUp();
          retries++;
          const delay = this.#delay(decision, retries);
          this.#emitRetry(target, attempt, decision.reason, delay);
          // a rate-limit answer holds back every request of this operation, not only this retry
          if (decision.throttle) await this.#penalize(target, delay);
          await sleep(delay, signal);
          continue;
        }
      }
    }
  }

  /** The backoff before retry number `retries`: exponential with jitter, longer for rate limits, at least `Retry-After`. */
  #delay(decision: Extract<Decision, { kind: 'retry' }>, retries: number): number {
    const { retry } = this.#o;
    const base = decision.throttle ? Math.max(retry.throttleDelayMs, retry.baseDelayMs) : retry.baseDelayMs;
    const delay = backoffDelay(retries, base, Math.max(retry.maxDelayMs, base), this.#random);
    return decision.retryAfterMs === undefined ? delay : Math.max(delay, decision.retryAfterMs);
  }

  /** The attempt as it goes out: the credential in the query or the body. */
  async #prepare(request: Request | PlainRequest, target: CallTarget, body: RequestBody): Promise<Attempt> {
    const credential = target.authenticated && this.#o.credentials ? await this.#o.credentials.get(target) : undefined;
    const url = credential?.in === 'query' ? withQueryParam(request.url, credential.name, credential.value) : request.url;
    const bytes = credential?.in === 'body' ? body.withField(credential.name, credential.value) : body.bytes;
    let headers = request.headers;
    // a body we wrote (request id, credential) is JSON
    if (bytes !== body.original) {
      headers = new Headers(headers);
      headers.set('content-type', 'application/json');
    }
    const init: RequestInit = { method: request.method, headers, redirect: request.redirect };
    if (bytes && bytes.byteLength > 0 && request.method !== 'GET' && request.method !== 'HEAD') init.body = bytes;
    return { url, init, token: credential?.value };
  }

  /** Sends one attempt under its timeout and classifies what came back. */
  async #send(
    sent: Attempt,
    target: CallTarget,
    context: ScrmErrorContext,
    idempotent: boolean,
    attempt: number,
    callerSignal: AbortSignal | undefined,
  ): Promise<{ decision: Classified; answer?: Answer & { response: Response; bytes?: ArrayBuffer | undefined } }> {
    const { profile, redactor, timeoutMs } = this.#o;
    // One controller per attempt, aborted by its timer or by the caller's signal (cheaper than AbortSignal.any).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('attempt timed out', 'TimeoutError')), timeoutMs);
    // calls sharing one caller signal share one listener on it (abort-relay.ts)
    let stopListening: (() => void) | undefined;
    if (callerSignal?.aborted) controller.abort(callerSignal.reason);
    else if (callerSignal) stopListening = onAbort(callerSignal, () => controller.abort(callerSignal.reason));
    if (this.#observed)
      this.#emit({
        type: 'request',
        vendor: profile.vendor,
        operation: target.meta?.id,
        method: target.method,
        path: target.path,
        attempt,
      });
    const started = performance.now();
    let response: Response;
    let text: string;
    let bytes: ArrayBuffer | undefined;
    try {
      sent.init.signal = controller.signal;
      response = await this.#o.fetch(sent.url, sent.init);
      if (target.meta?.binary) {
        bytes = await response.arrayBuffer();
        text = isFileAnswer(response, bytes) ? '' : new TextDecoder().decode(bytes);
      } else text = await response.text();
    } catch (failure) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      // the caller's signal was checked first, so an abort here is this attempt's timer
      return { decision: classifyFailure(failure, { timedOut: controller.signal.aborted, timeoutMs, idempotent, redactor, context }) };
    } finally {
      clearTimeout(timer);
      stopListening?.();
    }
    const answer = { response, status: response.status, statusText: response.statusText, headers: response.headers, text, bytes };
    // a file (the success answer of a binary operation) is the data as it is; a JSON envelope on that URL is read as usual
    const decision: Classified =
      bytes !== undefined && isFileAnswer(response, bytes)
        ? { kind: 'success', body: bytes }
        : classifyAnswer(answer, {
            profile,
            envelope: target.meta?.envelope,
            idempotent,
            refreshOn: target.authenticated && sent.token !== undefined ? (this.#o.credentials?.refreshOn ?? []) : [],
            redactor,
            context,
          });
    if (this.#observed) {
      const event = {
        type: 'response',
        vendor: profile.vendor,
        operation: target.meta?.id,
        method: target.method,
        path: target.path,
        attempt,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
      } as const;
      this.#emit(decision.code ? { ...event, code: decision.code.value } : event);
    }
    return { decision, answer };
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

  async #throttle(target: CallTarget, attempt: number, signal: AbortSignal | undefined): Promise<void> {
    const keys = this.#keys(target);
    if (keys.length === 0) return;
    const now = Date.now();
    let wait = 0;
    for (const { key, limit } of keys) wait = Math.max(wait, await this.#o.throttle!.store.reserve(key, limit, now));
    if (wait > 0) {
      const { profile } = this.#o;
      if (this.#observed)
        this.#emit({
          type: 'throttle-wait',
          vendor: profile.vendor,
          operation: target.meta?.id,
          method: target.method,
          path: target.path,
          attempt,
          waitMs: wait,
        });
      await sleep(wait, signal);
    }
  }

  async #penalize(target: CallTarget, ms: number): Promise<void> {
    const now = Date.now();
    for (const { key, limit } of this.#keys(target)) await this.#o.throttle!.store.penalize(key, now + ms, limit, now);
  }

  #emitRetry(target: CallTarget, attempt: number, reason: string, delayMs: number): void {
    if (!this.#observed) return;
    const { vendor } = this.#o.profile;
    this.#emit({ type: 'retry', vendor, operation: target.meta?.id, method: target.method, path: target.path, attempt, reason, delayMs });
  }

  #emit(event: ScrmEvent): void {
    logEvent(this.#o.logger, event);
    this.#o.onEvent?.(event);
  }
}

/** The caller's request body, read once; its JSON fields are parsed only when a field must be added. */
class RequestBody {
  readonly original: ArrayBuffer | undefined;
  bytes: ArrayBuffer | undefined;
  #json: Record<string, unknown> | undefined;

  constructor(bytes: ArrayBuffer | undefined) {
    this.original = bytes;
    this.bytes = bytes;
  }

  /** The body's JSON object (`{}` when there is none or it is not an object). */
  #fields(): Record<string, unknown> {
    if (this.#json) return this.#json;
    let parsed: unknown;
    try {
      parsed = this.original && this.original.byteLength > 0 ? JSON.parse(new TextDecoder().decode(this.original)) : {};
    } catch {
      parsed = undefined;
    }
    this.#json = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    return this.#json;
  }

  /** Fills `param` with a fresh id unless the caller gave one; the body of every attempt carries it. */
  fillRequestId(param: string): void {
    const fields = this.#fields();
    if (fields[param] === undefined || fields[param] === '') fields[param] = randomUUID();
    this.bytes = encodeJson(fields);
  }

  /** The body with one more field (a credential sent in the body), leaving this body as it is. */
  withField(name: string, value: string): ArrayBuffer {
    return encodeJson({ ...this.#fields(), [name]: value });
  }
}

const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer;

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

/**
 * Whether the answer of a binary operation is the file rather than a JSON envelope: a 2xx answer that names a file
 * (`Content-Disposition`), or whose content type is not JSON / text and whose body does not start like a JSON object.
 */
function isFileAnswer(response: Response, bytes: ArrayBuffer): boolean {
  if (response.status < 200 || response.status > 299) return false;
  if (response.headers.has('content-disposition')) return true;
  const type = response.headers.get('content-type') ?? '';
  if (/json/i.test(type)) return false;
  if (type !== '' && !/^text\//i.test(type)) return true;
  // no or a text content type: an envelope starts with `{`
  const head = new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 64));
  for (const b of head) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b !== 0x7b;
  }
  return true;
}
