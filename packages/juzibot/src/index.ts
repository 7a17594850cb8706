export { createJuzibotClient } from './client.js';
export type { JuzibotClient, JuzibotClientOptions } from './client.js';

// Generated from specs/juzibot — see src/generated/.
export type { components, operations, paths } from './generated/openapi.js';
export type * from './generated/schemas.js';
export { isJuzibotError, juzibotErrors } from './generated/errors.js';
export type { JuzibotApiError, JuzibotErrorCode, JuzibotErrorInfo, JuzibotKnownErrorCode } from './generated/errors.js';
export { profile as juzibotProfile } from './generated/profile.js';
export type { JuzibotPaginated } from './generated/profile.js';
export { provenance as juzibotProvenance } from './generated/provenance.js';
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
