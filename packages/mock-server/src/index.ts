export { FAULT_KINDS, startMockServer } from './server.js';
export type { FaultKind, MockServer, MockServerOptions } from './server.js';
export { VENDORS } from './spec.js';
export type { VendorName } from './spec.js';
export { scaleRules } from './rate-limit.js';
export type { RateLimitOptions } from './rate-limit.js';
export type { ValidationMode } from './validation.js';
export type { IndexLinks } from './index-page.js';
