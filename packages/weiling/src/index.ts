export { createWeilingClient } from './client.js';
export type { WeilingClient, WeilingClientOptions } from './client.js';

// Generated from specs/weiling — see src/generated/.
export type { components, operations, paths } from './generated/openapi.js';
export type * from './generated/schemas.js';
export { isWeilingError, weilingErrors } from './generated/errors.js';
export type { WeilingApiError, WeilingErrorCode, WeilingErrorInfo, WeilingKnownErrorCode } from './generated/errors.js';
export { profile as weilingProfile } from './generated/profile.js';
export type { WeilingPaginated } from './generated/profile.js';
export { provenance as weilingProvenance } from './generated/provenance.js';
export type { OperationSource } from './generated/provenance.js';

export {
  isScrmError,
  MemoryTokenStore,
  ScrmApiError,
  ScrmConfigError,
  ScrmError,
  ScrmHttpError,
  ScrmNetworkError,
  ScrmPaginationError,
  ScrmParseError,
  ScrmTimeoutError,
  unwrap,
} from '@scrm-openapi/core';
export type {
  Logger,
  PaginateOptions,
  RetryOptions,
  ScrmEvent,
  StoredToken,
  TokenStore,
  UntypedRequestInit,
  UntypedResult,
} from '@scrm-openapi/core';
