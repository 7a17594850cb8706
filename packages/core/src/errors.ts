/**
 * The error family of every @scrm-openapi client. Every property is safe to log: messages and properties are
 * built from redacted text only, and no Request, URL with a query string or raw cause is ever attached.
 */
import type { ErrorAction } from './profile.js';

export interface ScrmErrorContext {
  /** Vendor short name: `wecom`, `juzibot`, `weiling`, … */
  vendor: string;
  /** The operationId, when the call maps to a known operation. */
  operation?: string | undefined;
  /** HTTP method of the call. */
  method?: string | undefined;
  /** The path template of the call (never the query string). */
  path?: string | undefined;
  /** How many attempts were made. */
  attempts?: number | undefined;
}

/** A sanitized stand-in for an underlying error (only its name, a redacted message and its code). */
export class ScrmErrorCause extends Error {
  override name = 'ScrmErrorCause';
  readonly code: string | undefined;
  constructor(name: string, message: string, code?: string) {
    super(message);
    this.name = name;
    this.code = code;
    this.stack = `${name}: ${message}`;
  }
}

/**
 * Marks every ScrmError of every copy of core: the ES module build (dist/) and the CommonJS build (dist/cjs/) can
 * both load in one process, each with its own classes (the dual-package hazard). Registered, so both copies share it.
 */
const SCRM_ERROR = Symbol.for('@scrm-openapi/core:ScrmError');

/** Base class of every error thrown or returned by an @scrm-openapi client. */
export class ScrmError extends Error {
  /**
   * `error instanceof ScrmApiError` (or any class of this family) also holds for an error made by the other copy of
   * core: when the ordinary prototype check fails, a branded error matches a class of the same name in its
   * prototype chain.
   */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof, not always ScrmError
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    if (typeof value !== 'object' || value === null || !(SCRM_ERROR in value)) return false;
    // the prototypes of the other copy's ScrmError and its subclasses all carry the brand, Error.prototype does not
    // biome-ignore lint/complexity/noThisInStatic: as above
    const name = this.name;
    for (let proto = Object.getPrototypeOf(value); proto !== null && SCRM_ERROR in proto; proto = Object.getPrototypeOf(proto))
      if (Object.hasOwn(proto, 'constructor') && (proto.constructor as { name?: unknown }).name === name) return true;
    return false;
  }

  override name = 'ScrmError';
  readonly vendor: string;
  readonly operation: string | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly attempts: number | undefined;
  /** Whether retrying the same call later may succeed. */
  readonly retryable: boolean;

  constructor(message: string, context: ScrmErrorContext, options: { retryable?: boolean; cause?: ScrmErrorCause } = {}) {
    super(message, options.cause ? { cause: options.cause } : undefined);
    this.vendor = context.vendor;
    this.operation = context.operation;
    this.method = context.method;
    this.path = context.path;
    this.attempts = context.attempts;
    this.retryable = options.retryable ?? false;
  }
}

Object.defineProperty(ScrmError.prototype, SCRM_ERROR, { value: true });

function where(ctx: ScrmErrorContext): string {
  const op = ctx.operation ?? (ctx.method && ctx.path ? `${ctx.method} ${ctx.path}` : undefined);
  return op ? `${ctx.vendor} ${op}` : ctx.vendor;
}

export interface ScrmApiErrorInit {
  code: number | string;
  vendorMessage: string;
  action: ErrorAction;
  httpStatus: number;
  requestId?: string | undefined;
}

/** The vendor answered with an error code in the body (e.g. WeCom `errcode` ≠ 0). */
export class ScrmApiError extends ScrmError {
  override name = 'ScrmApiError';
  /** The vendor's result code (WeCom `errcode`). */
  readonly code: number | string;
  /** The vendor's message, redacted. */
  readonly vendorMessage: string;
  /** What the runtime decided for this code. */
  readonly action: ErrorAction;
  readonly httpStatus: number;
  /** The vendor's request id or hint, when it sends one (WeCom: the `hint: [...]` part of errmsg). */
  readonly requestId: string | undefined;

  constructor(init: ScrmApiErrorInit, context: ScrmErrorContext) {
    super(`${where(context)} failed with code ${init.code}: ${init.vendorMessage}`, context, {
      retryable: init.action === 'retry' || init.action === 'throttle' || init.action === 'refresh-token',
    });
    this.code = init.code;
    this.vendorMessage = init.vendorMessage;
    this.action = init.action;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
  }
}

/**
 * A `ScrmApiError` of one vendor, its `code` narrowed to that vendor's result codes (generated from the spec's
 * `x-scrm-errors`, still open to codes the spec does not list), e.g. `ScrmApiErrorOf<WecomErrorCode, 'wecom'>`.
 * Each vendor package exports one (`WecomApiError`, …) with a guard that narrows to it (`isWecomError`).
 */
export interface ScrmApiErrorOf<Code extends number | string, Vendor extends string = string> extends ScrmApiError {
  readonly code: Code;
  readonly vendor: Vendor;
}

/** The JavaScript types a vendor's result codes come in, after the runtime's normalization (`'007'` → 7). */
export type CodeKind = 'number' | 'string';

/**
 * Makes the guard behind `isWecomError()` and its siblings: true for a `ScrmApiError` (from this or another copy
 * of core) raised by `vendor` whose code is of one of `kinds`, so the narrowed type never lies. Numeric codes
 * are normalized to numbers by the runtime, so a vendor whose catalog is all numbers passes `['number']`.
 */
export function apiErrorGuard<E extends ScrmApiErrorOf<number | string>>(
  vendor: E['vendor'],
  kinds: readonly CodeKind[],
): (value: unknown) => value is E {
  const accepted = new Set<string>(kinds);
  return (value: unknown): value is E => {
    if (!(value instanceof ScrmApiError || (value instanceof Error && value.name === 'ScrmApiError'))) return false;
    const { vendor: from, code } = value as Partial<ScrmApiError>;
    return from === vendor && accepted.has(typeof code);
  };
}

/** The vendor (or a proxy) answered with a non-2xx HTTP status. */
export class ScrmHttpError extends ScrmError {
  override name = 'ScrmHttpError';
  readonly status: number;
  readonly statusText: string;
  /** The first 500 characters of the body, redacted. */
  readonly bodySnippet: string;
  /** `Retry-After` in milliseconds, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  /** The vendor's name for this status, when it documents one (e.g. a 402 meaning 'API请求次数不足'). */
  readonly vendorName: string | undefined;
  /** What the runtime decided: `throttle` (rate limit), `retry` (transient) or `fail`. */
  readonly action: ErrorAction;

  constructor(
    init: {
      status: number;
      statusText: string;
      bodySnippet: string;
      retryAfterMs?: number | undefined;
      retryable: boolean;
      vendorName?: string | undefined;
      action?: ErrorAction | undefined;
    },
    context: ScrmErrorContext,
  ) {
    super(
      `${where(context)} failed with HTTP ${init.status}${init.statusText ? ` ${init.statusText}` : ''}${init.vendorName ? ` (${init.vendorName})` : ''}`,
      context,
      { retryable: init.retryable },
    );
    this.status = init.status;
    this.statusText = init.statusText;
    this.bodySnippet = init.bodySnippet;
    this.retryAfterMs = init.retryAfterMs;
    this.vendorName = init.vendorName;
    this.action = init.action ?? defaultHttpAction(init.status);
  }
}

const RETRYABLE_STATUS = new Set([408, 500, 502, 503, 504]);

/** What an HTTP status means when the spec documents nothing for it: 429 throttles, 408 and 5xx gateway/server errors retry. */
export function defaultHttpAction(status: number): ErrorAction {
  return status === 429 ? 'throttle' : RETRYABLE_STATUS.has(status) ? 'retry' : 'fail';
}

/** A success status whose body is not the JSON the vendor promises (malformed JSON, an HTML page, …). */
export class ScrmParseError extends ScrmError {
  override name = 'ScrmParseError';
  readonly status: number;
  readonly contentType: string | undefined;
  /** `html` when the body is an HTML page (a gateway or login page), `json` for malformed JSON, `envelope` for JSON without the vendor's envelope. */
  readonly kind: 'html' | 'json' | 'envelope';
  readonly bodySnippet: string;

  constructor(
    init: { status: number; contentType: string | undefined; kind: 'html' | 'json' | 'envelope'; bodySnippet: string; retryable: boolean },
    context: ScrmErrorContext,
  ) {
    const what = init.kind === 'html' ? 'an HTML page' : init.kind === 'json' ? 'malformed JSON' : 'JSON without the expected envelope';
    super(`${where(context)} answered HTTP ${init.status} with ${what} instead of the expected JSON envelope`, context, {
      retryable: init.retryable,
    });
    this.status = init.status;
    this.contentType = init.contentType;
    this.kind = init.kind;
    this.bodySnippet = init.bodySnippet;
  }
}

/** An attempt took longer than `timeoutMs`. */
export class ScrmTimeoutError extends ScrmError {
  override name = 'ScrmTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number, context: ScrmErrorContext, retryable: boolean) {
    super(`${where(context)} timed out after ${timeoutMs} ms`, context, { retryable });
    this.timeoutMs = timeoutMs;
  }
}

/** The request could not be completed at the network level. */
export class ScrmNetworkError extends ScrmError {
  override name = 'ScrmNetworkError';
  /** The system error code (`ECONNREFUSED`, `ENOTFOUND`, …), when known. */
  readonly code: string | undefined;
  /** True when the request provably never reached the server (connection refused, DNS failure). */
  readonly requestNotSent: boolean;
  constructor(
    init: { code: string | undefined; requestNotSent: boolean; retryable: boolean; cause?: ScrmErrorCause },
    context: ScrmErrorContext,
  ) {
    super(`${where(context)} failed: network error${init.code ? ` (${init.code})` : ''}`, context, {
      retryable: init.retryable,
      ...(init.cause ? { cause: init.cause } : {}),
    });
    this.code = init.code;
    this.requestNotSent = init.requestNotSent;
  }
}

/** `paginate()` stopped: a repeated cursor, or more pages/items than its safety cap. */
export class ScrmPaginationError extends ScrmError {
  override name = 'ScrmPaginationError';
}

/** The client was configured wrongly (a missing credential, an unknown option value…). */
export class ScrmConfigError extends ScrmError {
  override name = 'ScrmConfigError';
  constructor(message: string, vendor: string) {
    super(message, { vendor });
  }
}

/**
 * A token request needs a value the vendor pushes to you (WeCom's `suite_ticket`, pushed to the suite's callback URL
 * every 10 minutes) and none is stored, or the stored one is too old. Feed the callback receiver, or wait for the next
 * push. 推送的票据（如 suite_ticket）缺失或过期。
 */
export class ScrmTicketError extends ScrmError {
  override name = 'ScrmTicketError';
  /** `missing`: no ticket was ever stored for this app; `expired`: the newest one is past its lifetime. */
  readonly reason: 'missing' | 'expired';
  /** The app whose ticket is missing (WeCom: the suite id). */
  readonly appId: string;
  constructor(reason: 'missing' | 'expired', appId: string, context: ScrmErrorContext) {
    super(
      `${where(context)}: the ticket of ${appId} is ${reason === 'missing' ? 'missing (none received yet)' : 'expired'}; the vendor pushes a new one to the callback URL`,
      context,
      { retryable: true },
    );
    this.reason = reason;
    this.appId = appId;
  }
}

/** Why a tenant's token cannot be had: see `ScrmAuthorizationError.reason`. */
export type AuthorizationFailure = 'not-authorized' | 'revoked';

/**
 * A tenant (WeCom: an authorizing corp, `auth_corpid`) cannot be called for: no authorization is stored for it (never
 * installed, or cancelled: `not-authorized`), or the vendor refused its stored permanent code (`revoked`, with the
 * vendor's `code`). 租户未授权，或其永久授权码已失效。
 */
export class ScrmAuthorizationError extends ScrmError {
  override name = 'ScrmAuthorizationError';
  readonly reason: AuthorizationFailure;
  /** The app the authorization belongs to (WeCom: the suite id). */
  readonly appId: string;
  /** The tenant (WeCom: the authorizing corp id). */
  readonly tenantId: string;
  /** The vendor's result code when it refused the stored code. */
  readonly code: number | string | undefined;
  constructor(
    init: { reason: AuthorizationFailure; appId: string; tenantId: string; code?: number | string | undefined; vendorMessage?: string },
    context: ScrmErrorContext,
  ) {
    super(
      init.reason === 'not-authorized'
        ? `${where(context)}: ${init.tenantId} has not authorized ${init.appId} (no permanent code stored)`
        : `${where(context)}: the authorization of ${init.tenantId} for ${init.appId} was refused (code ${init.code}${init.vendorMessage ? `: ${init.vendorMessage}` : ''})`,
      context,
    );
    this.reason = init.reason;
    this.appId = init.appId;
    this.tenantId = init.tenantId;
    this.code = init.code;
  }
}

/** Why a callback was rejected. */
export type CallbackRejection =
  | 'missing-parameter'
  | 'too-large'
  | 'malformed-body'
  | 'stale-timestamp'
  | 'bad-signature'
  | 'bad-ciphertext'
  | 'bad-padding'
  | 'bad-length'
  | 'bad-receiver'
  | 'replayed'
  | 'bad-secret-path'
  | 'bad-token'
  | 'not-allowed'
  | 'invalid-payload';

/** A callback (webhook) was rejected: bad signature, stale timestamp, replay, bad padding… */
export class ScrmCallbackError extends ScrmError {
  override name = 'ScrmCallbackError';
  readonly reason: CallbackRejection;
  /** The HTTP status a receiver should answer with (400 for bad input, 401 for forged, 409 for replays). */
  readonly status: number;
  constructor(reason: CallbackRejection, message: string, vendor: string) {
    super(`${vendor} callback rejected (${reason}): ${message}`, { vendor });
    this.reason = reason;
    this.status =
      reason === 'bad-signature' || reason === 'bad-secret-path' || reason === 'bad-token'
        ? 401
        : reason === 'not-allowed'
          ? 403
          : reason === 'replayed'
            ? 409
            : 400;
  }
}

/** True for any error from an @scrm-openapi client. */
export function isScrmError(value: unknown): value is ScrmError {
  return value instanceof ScrmError;
}
