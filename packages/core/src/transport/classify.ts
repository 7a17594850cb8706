/**
 * What one attempt's answer means, decided without I/O: the HTTP status, headers and body text (or the failure
 * `fetch` threw) go in, a decision comes out — success, a vendor error to return, refresh the credential, retry
 * (with the reason and the delay hints) or throw. The engine acts on the decision; this module only reads.
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
} from '../errors.js';
import type { EnvelopeSpec, ErrorAction, VendorProfile } from '../profile.js';
import type { Redactor } from '../redact.js';
import { parseRetryAfter } from '../retry.js';

/** An answer read to the end: what `fetch` gave, with the body as text. */
export interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly text: string;
}

/** What the classification of an answer needs to know besides the answer. */
export interface ClassifyInput {
  /** The vendor's envelope, error actions and documented HTTP statuses. */
  readonly profile: Pick<VendorProfile, 'envelope' | 'errorActions' | 'httpErrors'>;
  /** The operation's own envelope, when it differs from the vendor's. */
  readonly envelope?: EnvelopeSpec | undefined;
  /** Safe to send again (a read, or an operation the spec marks idempotent). */
  readonly idempotent: boolean;
  /** Codes meaning "the credential this attempt sent is no longer valid"; empty when it sent none. */
  readonly refreshOn: readonly number[];
  readonly redactor: Redactor;
  /** Where errors say they come from. */
  readonly context: ScrmErrorContext;
  /** Clock for `Retry-After` dates. */
  readonly now?: number;
}

/** A vendor answer in its envelope: the parsed JSON object. */
export type Envelope = Record<string, unknown>;

export type Decision =
  | { readonly kind: 'success'; readonly body: unknown }
  /** A vendor error code in the body: returned as openapi-fetch's `error`. */
  | { readonly kind: 'api-error'; readonly body: Envelope; readonly error: ScrmApiError }
  /** The vendor refused the credential: drop it, fetch a fresh one and send again (once). */
  | { readonly kind: 'refresh'; readonly body: Envelope; readonly error: ScrmApiError }
  | {
      readonly kind: 'retry';
      readonly reason: string;
      readonly error: ScrmError;
      /** A rate-limit answer: back off from the (longer) throttle delay and hold back the whole operation. */
      readonly throttle: boolean;
      /** The vendor's `Retry-After`, in ms. */
      readonly retryAfterMs?: number | undefined;
      /** For a vendor error code: the envelope to return as `error` once retries are exhausted. */
      readonly body?: Envelope | undefined;
    }
  | { readonly kind: 'throw'; readonly error: ScrmError };

/** The answer's result code, for the `response` event: absent when the envelope was not read. */
export type Classified = Decision & { readonly code?: { readonly value: number | string | undefined } };

/** Decides what an answer means. Pure: reads its inputs only. */
export function classifyAnswer(answer: Answer, input: ClassifyInput): Classified {
  const { profile, redactor, idempotent } = input;
  const context = input.context;
  const contentType = answer.headers.get('content-type') ?? undefined;

  if (answer.status < 200 || answer.status > 299) {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), input.now);
    const documented = profile.httpErrors?.[String(answer.status)];
    const action = documented?.action ?? defaultHttpAction(answer.status);
    const retryable = idempotent && (action === 'retry' || action === 'throttle');
    const error = new ScrmHttpError(
      {
        status: answer.status,
        statusText: answer.statusText,
        bodySnippet: snippet(answer.text, redactor),
        retryAfterMs,
        retryable,
        vendorName: documented?.name,
        action,
      },
      context,
    );
    return retryable
      ? { kind: 'retry', reason: `HTTP ${answer.status}`, error, retryAfterMs, throttle: action === 'throttle' }
      : { kind: 'throw', error };
  }

  const envelope = input.envelope ?? profile.envelope;
  const looksHtml = /html/i.test(contentType ?? '') || /^\s*</.test(answer.text);
  let body: unknown;
  try {
    body = looksHtml ? undefined : JSON.parse(answer.text);
  } catch {
    body = undefined;
  }
  if (envelope.none && body !== undefined) return { kind: 'success', body };
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    const kind = looksHtml ? 'html' : body === undefined ? 'json' : 'envelope';
    const error = new ScrmParseError(
      { status: answer.status, contentType, kind, bodySnippet: snippet(answer.text, redactor), retryable: idempotent },
      context,
    );
    return idempotent ? { kind: 'retry', reason: `unparseable body (${kind})`, error, throttle: false } : { kind: 'throw', error };
  }

  const record = body as Envelope;
  const rawCode = record[envelope.code] as number | string | undefined;
  const code = { value: rawCode };
  if (rawCode === undefined || rawCode === null) {
    if (envelope.codeOptional) return { kind: 'success', body, code };
    const error = new ScrmParseError(
      { status: answer.status, contentType, kind: 'envelope', bodySnippet: snippet(answer.text, redactor), retryable: false },
      context,
    );
    return { kind: 'throw', error, code };
  }
  if (isSuccessCode(rawCode, envelope)) return { kind: 'success', body, code };

  const normalized = normalizeCode(rawCode);
  const action: ErrorAction = profile.errorActions[String(normalized)] ?? 'fail';
  const vendorMessage = redactor.text(textOf(record[envelope.message] ?? ''));
  const error = new ScrmApiError(
    { code: normalized, vendorMessage, action, httpStatus: answer.status, requestId: requestIdOf(answer.headers, vendorMessage) },
    context,
  );
  if (typeof normalized === 'number' && input.refreshOn.includes(normalized)) return { kind: 'refresh', body: record, error, code };
  if ((action === 'retry' || action === 'throttle') && idempotent) {
    return { kind: 'retry', reason: `code ${normalized}`, error, throttle: action === 'throttle', body: record, code };
  }
  return { kind: 'api-error', body: record, error, code };
}

/** What a failed `fetch` means (the caller's own abort is not classified: it is rethrown as it is). */
export function classifyFailure(
  failure: unknown,
  input: { timedOut: boolean; timeoutMs: number; idempotent: boolean; redactor: Redactor; context: ScrmErrorContext },
): Decision {
  if (input.timedOut) {
    const error = new ScrmTimeoutError(input.timeoutMs, input.context, input.idempotent);
    return input.idempotent ? { kind: 'retry', reason: 'timeout', error, throttle: false } : { kind: 'throw', error };
  }
  const code = networkCode(failure);
  const requestNotSent = code !== undefined && NOT_SENT_CODES.has(code);
  // a write is sent again only when it provably never reached the vendor
  const retryable = input.idempotent || requestNotSent;
  const error = new ScrmNetworkError({ code, requestNotSent, retryable, cause: sanitizeCause(failure, input.redactor) }, input.context);
  return retryable ? { kind: 'retry', reason: `network ${code ?? 'error'}`, error, throttle: false } : { kind: 'throw', error };
}

/** Codes of network failures where the request provably never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function isSuccessCode(code: unknown, envelope: EnvelopeSpec): boolean {
  return envelope.success.some((s) => s === code || (typeof code === 'string' && code.trim() !== '' && Number(code) === Number(s)));
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

function requestIdOf(headers: Headers, message: string): string | undefined {
  return headers.get('x-request-id') ?? headers.get('request-id') ?? /hint:\s*\[([^\]]+)\]/.exec(message)?.[1] ?? undefined;
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
