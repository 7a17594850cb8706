export { createScrmClient, unwrap } from './client.js';
export type { PaginatedMap, ScrmClient, ScrmClientOptions } from './client.js';
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
export type { ScrmApiErrorInit, ScrmErrorContext } from './errors.js';
export type { Logger, ScrmEvent } from './logger.js';
export { Paginator, readPath } from './paginate.js';
export type { PaginateOptions } from './paginate.js';
export { operationKey } from './profile.js';
export type {
  AuthSpec,
  CredentialUse,
  StaticAuth,
  CursorPagination,
  OffsetPagination,
  PagePagination,
  EnvelopeSpec,
  ErrorAction,
  OperationMeta,
  PaginationSpec,
  TokenEndpointAuth,
  VendorProfile,
} from './profile.js';
export { REDACTED, Redactor } from './redact.js';
export { backoffDelay, parseRetryAfter } from './retry.js';
export type { RetryOptions } from './retry.js';
export { MemoryTokenStore, TokenManager, tokenStoreKey } from './token.js';
export type { FetchedToken, StoredToken, TokenStore } from './token.js';
export { MemoryDedupeStore } from './callback/dedupe.js';
export type { DedupeStore } from './callback/dedupe.js';
export { checkTimestamp, constantTimeEqual, randomNonce, WxBizMsgCrypt } from './callback/wxbiz.js';
export type { WxBizMsgCryptOptions } from './callback/wxbiz.js';
export type { CallbackRejection } from './errors.js';
export { createJsonCallbackReceiver } from './callback/json.js';
export { callbackBodyText, requiredQueryParam, resolveSignedCallbackOptions } from './callback/request.js';
export { contentKey, createSignedCallbackFlow } from './callback/signed.js';
export type { SignedCallbackFlow, SignedRequest } from './callback/signed.js';
export type { CallbackQuery, SignedCallbackOptions } from './callback/request.js';
export type { JsonCallbackHooks, JsonCallbackOptions, JsonCallbackReceiver, PayloadValidator } from './callback/json.js';
export { burstOf, burstTolerance, emissionInterval, gcra, MemoryThrottleStore, penaltyTat, throttleKeys } from './throttle.js';
export type { RateLimit, RateLimitRule, ThrottleStore } from './throttle.js';
