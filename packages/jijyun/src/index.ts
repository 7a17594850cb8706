export { createJijyunClient } from './client.js';
export type { JijyunClient, JijyunClientOptions } from './client.js';

// Generated from specs/jijyun — see src/generated/.
export type { components, operations, paths } from './generated/openapi.js';
export type * from './generated/schemas.js';
export { isJijyunError, jijyunErrors } from './generated/errors.js';
export type { JijyunApiError, JijyunErrorCode, JijyunErrorInfo, JijyunKnownErrorCode } from './generated/errors.js';
export { profile as jijyunProfile } from './generated/profile.js';
export type { JijyunPaginated } from './generated/profile.js';
export { provenance as jijyunProvenance } from './generated/provenance.js';
export type { OperationSource } from './generated/provenance.js';

export {
  isScrmError,
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
export type { Logger, PaginateOptions, RetryOptions, ScrmEvent, UntypedRequestInit, UntypedResult } from '@scrm-openapi/core';
