/**
 * The runtime description of one vendor, compiled by `@scrm-openapi/codegen` from the spec's `x-scrm-*`
 * extensions. Vendor packages ship a generated `profile` object of this shape; core never hard-codes a vendor.
 */

/** What the runtime does with a vendor result code. */
export type ErrorAction = 'refresh-token' | 'retry' | 'throttle' | 'fail';

/** Where the result code lives in a response body and which values mean success. */
export interface EnvelopeSpec {
  /** Field holding the result code, e.g. `errcode`. */
  readonly code: string;
  /** Field holding the vendor's message, e.g. `errmsg`. */
  readonly message: string;
  /** Codes meaning success. A string code is compared by its numeric value when both sides are numeric. */
  readonly success: readonly (number | string)[];
  /** When true a body without the code field is a success (some WeCom token endpoints omit it). */
  readonly codeOptional?: boolean;
}

export interface CursorPagination {
  readonly style: 'cursor';
  readonly cursor: {
    /** Where the request carries the cursor. */
    readonly in: 'body' | 'query';
    /** Request field name. */
    readonly param: string;
    /** Dotted path of the next cursor in the response; empty or absent means done. */
    readonly next: string;
  };
  readonly limit?: { readonly param: string; readonly max?: number };
  /** Dotted path of the item array in the response. */
  readonly items: string;
}

export type PaginationSpec = CursorPagination;

export interface OperationMeta {
  /** The operationId. */
  readonly id: string;
  /** Safe to retry after a transient failure (the vendor will not apply it twice). */
  readonly idempotent: boolean;
  readonly pagination?: PaginationSpec;
  /** Free-text rate-limit note from the spec (`x-scrm-rate-limit.note`). */
  readonly rateLimit?: string;
  /** Per-operation envelope, when it differs from the vendor's default. */
  readonly envelope?: EnvelopeSpec;
}

/** Credentials exchanged for a short-lived token at a token endpoint (WeCom `gettoken`). */
export interface TokenEndpointAuth {
  readonly type: 'token-endpoint';
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly operationId: string;
  /** Where the credentials go in the token request. */
  readonly credentialsIn: 'query' | 'body';
  /** Request parameter name → client option name (e.g. `corpsecret` → `corpSecret`). */
  readonly credentials: Readonly<Record<string, string>>;
  /** Request parameters whose values are secrets. */
  readonly secrets: readonly string[];
  readonly token: {
    readonly field: string;
    readonly expiresIn?: string;
    readonly defaultTtlSeconds: number;
  };
  /** How the token is sent on every other call. */
  readonly inject: { readonly in: 'query'; readonly name: string };
  /** Result codes that mean "this token is no longer valid": invalidate, refresh and retry once. */
  readonly refreshOn: readonly number[];
}

export type AuthSpec = TokenEndpointAuth;

export interface VendorProfile {
  /** Short vendor name used in errors and log lines: `wecom`, `juzibot`, … */
  readonly vendor: string;
  readonly baseUrl: string;
  readonly envelope: EnvelopeSpec;
  readonly auth: AuthSpec;
  /** Result code → action, for every code whose action is not `fail`. */
  readonly errorActions: Readonly<Record<string, ErrorAction>>;
  /** `METHOD /path` → metadata. */
  readonly operations: Readonly<Record<string, OperationMeta>>;
  /** Query/body parameter names whose values are credentials (redacted everywhere). */
  readonly secretParams: readonly string[];
}

export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
