/**
 * `@scrm-openapi/core/internal` — INTERNAL AND UNSTABLE. 内部接口，不稳定。
 *
 * The building blocks the `@scrm-openapi/*` vendor packages, the Redis package and the sandbox assemble their
 * clients and callback receivers from. This subpath is not covered by semver: any export may change or go in any
 * release, patch releases included. Applications should import `@scrm-openapi/<vendor>` or the root of
 * `@scrm-openapi/core` instead.
 *
 * 本子路径供 `@scrm-openapi/*` 各厂商包、Redis 包与沙箱内部组装客户端和回调接收器使用，不受语义化版本约束：
 * 任何版本（包括补丁版本）都可能修改或删除其中的导出。应用代码请使用 `@scrm-openapi/<vendor>` 或
 * `@scrm-openapi/core` 根入口。
 */
export { createScrmClient } from './client.js';
export { apiErrorGuard } from './errors.js';
export { Paginator } from './paginate.js';
export { Redactor } from './redact.js';
export { TokenManager } from './token.js';
export type { FetchedToken, TokenManagerOptions } from './token.js';
export type { Credential, CredentialSource, CredentialStrategy } from './credentials/source.js';
export type { CallTarget } from './transport/target.js';
export { constantTimeEqual, WxBizMsgCrypt } from './callback/wxbiz.js';
export type { WxBizMsgCryptOptions } from './callback/wxbiz.js';
export { createJsonCallbackReceiver } from './callback/json.js';
export type { JsonCallbackHooks, JsonCallbackReceiver } from './callback/json.js';
export { contentKey, createSignedCallbackFlow } from './callback/signed.js';
export type { SignedCallbackFlow, SignedRequest } from './callback/signed.js';
export { burstTolerance, emissionInterval, penaltyTat } from './throttle.js';
export { fileNameOf, scrmFileOf, toFile, toFormData } from './files.js';
