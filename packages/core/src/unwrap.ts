/**
 * `unwrap()` and how it finds the typed error behind openapi-fetch's `error`.
 *
 * openapi-fetch returns a vendor error as `error`: the vendor's envelope object, typed by the spec. The typed
 * `ScrmApiError` built from it travels on that same object, under a non-enumerable, registered symbol: it does not
 * show in `JSON.stringify`, spreads, `Object.keys` or deep equality, it lives exactly as long as the envelope, and
 * it is found even when two copies of core are installed (`Symbol.for`), which a module-level map could not do.
 */
import { ScrmApiError, ScrmParseError } from './errors.js';

const API_ERROR = Symbol.for('@scrm-openapi/core:api-error');

/** Attaches `error` to the envelope returned as openapi-fetch's `error`, for `unwrap()`. */
export function attachApiError(envelope: unknown, error: ScrmApiError): void {
  if (envelope !== null && typeof envelope === 'object' && Object.isExtensible(envelope)) {
    Object.defineProperty(envelope, API_ERROR, { value: error, enumerable: false, configurable: true });
  }
}

/** The `ScrmApiError` attached to an envelope returned as `error`, if any. */
function apiErrorOf(envelope: unknown): ScrmApiError | undefined {
  if (envelope === null || typeof envelope !== 'object') return undefined;
  const error = (envelope as { [API_ERROR]?: unknown })[API_ERROR];
  return error instanceof ScrmApiError || (error instanceof Error && error.name === 'ScrmApiError') ? (error as ScrmApiError) : undefined;
}

/** What every client call returns: openapi-fetch's `{ data, error, response }`. */
export type ScrmResult = { data?: unknown; error?: unknown; response: Response };

/**
 * The success data of a call's result type: the `data` of its success branch (the 2xx JSON of the operation,
 * without `undefined` and without the error envelope). Results not written as a success/error union fall back
 * to their `data` without `undefined` and `null`.
 */
export type UnwrappedData<T extends ScrmResult> = [SuccessBranchData<T>] extends [never] ? NonNullable<T['data']> : SuccessBranchData<T>;
/** What `unwrap()` returns for a result (its success data) or for the promise of one (a promise of that data). */
export type Unwrapped<T> = 0 extends 1 & T
  ? any // an untyped (`any`) result stays untyped, as it did before the promise form
  : T extends ScrmResult
    ? UnwrappedData<T>
    : T extends PromiseLike<infer R extends ScrmResult>
      ? Promise<UnwrappedData<R>>
      : never;
type SuccessBranchData<T> = T extends { data: infer D; error?: never } ? D : never;

/**
 * Returns `data`, or throws the typed error behind `error` (a `ScrmApiError` for vendor error codes). Takes the
 * result or the call's promise (then it returns a promise):
 *
 *     const way = await unwrap(client.POST('/cgi-bin/externalcontact/add_contact_way', { body }));
 *     const same = unwrap(await client.POST('/cgi-bin/externalcontact/add_contact_way', { body }));
 */
export function unwrap<T extends ScrmResult | PromiseLike<ScrmResult>>(result: T): Unwrapped<T>;
export function unwrap(result: ScrmResult | PromiseLike<ScrmResult>): unknown {
  if (isPromiseLike(result)) return Promise.resolve(result).then(unwrapResult);
  return unwrapResult(result);
}

function isPromiseLike(value: unknown): value is PromiseLike<ScrmResult> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

function unwrapResult(result: ScrmResult): unknown {
  if (result.error !== undefined) {
    const err = apiErrorOf(result.error);
    if (err) throw err;
    throw new ScrmParseError(
      {
        status: result.response.status,
        contentType: result.response.headers.get('content-type') ?? undefined,
        kind: 'envelope',
        bodySnippet: '',
        retryable: false,
      },
      { vendor: 'unknown' },
    );
  }
  return result.data;
}
