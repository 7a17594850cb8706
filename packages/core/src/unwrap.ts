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

/**
 * Returns `data`, or throws the typed error behind `error` (a `ScrmApiError` for vendor error codes).
 *
 *     const data = unwrap(await client.POST('/cgi-bin/externalcontact/add_contact_way', { body }));
 */
export function unwrap<T extends { data?: unknown; error?: unknown; response: Response }>(result: T): NonNullable<T['data']> {
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
  return result.data as NonNullable<T['data']>;
}
