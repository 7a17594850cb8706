/**
 * `@scrm-openapi/core` — the public, semver-stable surface: what users of the vendor packages touch directly.
 * Only runtime values a user needs live here (the error family, `unwrap`, the in-memory stores); the building
 * blocks the vendor packages assemble their clients and receivers from are in `@scrm-openapi/core/internal`.
 * Types may be exported freely. `exports.test.ts` keeps the runtime values at 20 or fewer.
 */
export { unwrap } from './unwrap.js';
export type { ScrmResult, Unwrapped, UnwrappedData } from './unwrap.js';
export type {
  DownloadResult,
  PageInit,
  PaginatedMap,
  RequestMethod,
  ScrmClient,
  ScrmClientOptions,
  UntypedRequestInit,
  UntypedResult,
  UploadInit,
} from './client.js';
export type { FileSource, ScrmFile, UploadFile, UploadForm } from './files.js';
export {
  isScrmError,
  ScrmApiError,
  ScrmCallbackError,
  ScrmConfigError,
  ScrmError,
  ScrmErrorCause,
  ScrmHttpError,
  ScrmNetworkError,
  ScrmPaginationError,
  ScrmParseError,
  ScrmTimeoutError,
} from './errors.js';
export type { CallbackRejection, CodeKind, ScrmApiErrorInit, ScrmApiErrorOf, ScrmErrorContext } from './errors.js';
export type { Logger, ScrmEvent } from './logger.js';
export type { PaginateOptions, Paginator } from './paginate.js';
export type {
  AuthSpec,
  CredentialUse,
  CursorPagination,
  EnvelopeSpec,
  ErrorAction,
  OffsetPagination,
  OperationMeta,
  PagePagination,
  PaginationSpec,
  StaticAuth,
  TokenEndpointAuth,
  TokenKind,
  VendorProfile,
} from './profile.js';
export type { RetryOptions } from './retry.js';
export { MemoryTokenStore } from './token.js';
export type { StoredToken, TokenStore } from './token.js';
export { MemoryDedupeStore } from './callback/dedupe.js';
export type { DedupeStore } from './callback/dedupe.js';
export type { CallbackQuery, SignedCallbackOptions } from './callback/request.js';
export type { JsonCallbackOptions, PayloadValidator } from './callback/json.js';
export { MemoryThrottleStore } from './throttle.js';
export type { RateLimit, RateLimitRule, ThrottleStore } from './throttle.js';
