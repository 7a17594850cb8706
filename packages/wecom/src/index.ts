export { createWecomClient } from './client.js';
export type { WecomClient, WecomClientOptions } from './client.js';
export { createJsapiTickets, signJsapi } from './jssdk.js';
export type { JsapiSignature, JsapiSignInput, JsapiTickets, JsapiTicketsOptions } from './jssdk.js';
export { oauthAuthorizeUrl } from './oauth.js';
export type { OauthAuthorizeUrlOptions } from './oauth.js';
export { createWecomProvider, MemoryPermanentCodeStore, MemorySuiteTicketStore } from './provider.js';
export type {
  InstallUrlOptions,
  PermanentCodeStore,
  StoredAuthorization,
  StoredTicket,
  SuiteTicketStore,
  WecomAuthorization,
  WecomProvider,
  WecomProviderOptions,
} from './provider.js';

// Generated from specs/wecom — see src/generated/.
export type { components, operations, paths } from './generated/openapi.js';
export type * from './generated/schemas.js';
export { isWecomError, wecomErrors } from './generated/errors.js';
export type { WecomApiError, WecomErrorCode, WecomErrorInfo, WecomKnownErrorCode } from './generated/errors.js';
export { profile as wecomProfile } from './generated/profile.js';
export type { WecomPaginated } from './generated/profile.js';
export { provenance as wecomProvenance } from './generated/provenance.js';
export type { OperationSource } from './generated/provenance.js';

// The shared runtime pieces a WeCom user needs, so one import is enough.
export {
  isScrmError,
  MemoryTokenStore,
  ScrmApiError,
  ScrmAuthorizationError,
  ScrmConfigError,
  ScrmError,
  ScrmHttpError,
  ScrmNetworkError,
  ScrmPaginationError,
  ScrmParseError,
  ScrmTicketError,
  ScrmTimeoutError,
  unwrap,
} from '@scrm-openapi/core';
export type {
  DownloadResult,
  FileSource,
  Logger,
  PaginateOptions,
  RetryOptions,
  ScrmEvent,
  ScrmFile,
  StoredToken,
  TokenStore,
  UntypedRequestInit,
  UntypedResult,
  UploadFile,
  UploadForm,
} from '@scrm-openapi/core';
