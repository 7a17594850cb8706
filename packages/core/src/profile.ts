import type { RateLimitRule } from './throttle.js';

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
  /** When true the operation answers outside the envelope: any JSON body is a success (a health check, a streamed chat). */
  readonly none?: boolean;
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

/** Offset paging: the request carries an offset; done when the next offset reaches `total` or a page is empty. */
export interface OffsetPagination {
  readonly style: 'offset';
  readonly offset: {
    readonly in: 'body' | 'query';
    readonly param: string;
    /** Dotted path of the next offset in the response; when absent, offset + items received. */
    readonly next?: string;
  };
  /** Dotted path of the total item count in the response. */
  readonly total?: string;
  readonly limit?: { readonly param: string; readonly max?: number };
  readonly items: string;
}

/** Page-number paging (current/pageSize/total): done when a page is short or empty, or `total` is reached. */
export interface PagePagination {
  readonly style: 'page';
  readonly page: { readonly in: 'body' | 'query'; readonly param: string; readonly start: number };
  readonly total?: string;
  readonly limit?: { readonly param: string; readonly max?: number };
  readonly items: string;
}

export type PaginationSpec = CursorPagination | OffsetPagination | PagePagination;

export interface OperationMeta {
  /** The operationId. */
  readonly id: string;
  /** Safe to retry after a transient failure (the vendor will not apply it twice). */
  readonly idempotent: boolean;
  /** False when the operation does not take the managed token (`security: []` in the spec). Default true. */
  readonly authenticated?: boolean;
  readonly deprecated?: boolean;
  readonly pagination?: PaginationSpec;
  /** The operation group whose shared rate limit this operation counts against (`x-scrm-rate-limit.group`). */
  readonly rateLimitGroup?: string;
  /** Per-operation envelope, when it differs from the vendor's default. */
  readonly envelope?: EnvelopeSpec;
  /** Per-operation credential (static auth), when it differs from the vendor's default. */
  readonly credential?: CredentialUse;
  /** The operation's own host, when it differs from the vendor's (used unless the client has a `baseUrl`). */
  readonly server?: string;
  /** A body field the client fills with a generated id when the caller gives none (kept across retries). */
  readonly requestId?: { readonly in: 'body'; readonly param: string };
  /**
   * The token kind the operation carries when not the vendor's default (`x-scrm-token`): a key of
   * `VendorProfile.tokens`, sent as that kind's `inject.name`. A client that does not manage the kind treats the
   * operation as unauthenticated (`authenticated: false`) and the caller passes the token as a query parameter.
   */
  readonly token?: string;
  /** Query parameters of which a call must give at least one (`x-scrm-at-least-one-of`); each is optional on its own. */
  readonly atLeastOneOf?: readonly string[];
  /**
   * The success answer is a file, not JSON (a 200 response whose content is not JSON, e.g. WeCom `media/get`): the
   * body is read as bytes and becomes `data` as they are; a JSON body on the same URL is still the vendor envelope.
   */
  readonly binary?: boolean;
}

/** Credentials exchanged for a short-lived token at a token endpoint (WeCom `gettoken`). */
export interface TokenEndpointAuth {
  readonly type: 'token-endpoint';
  /** The name of this token kind (`x-scrm-auth.kind`, e.g. WeCom's `corp`), when the vendor has several kinds. */
  readonly kind?: string;
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
    /** Dotted path of the token in the answer (`access_token`, `data.access_token`). */
    readonly field: string;
    /** Dotted path of its lifetime in seconds, when the vendor sends one. */
    readonly expiresIn?: string;
    /** Lifetime assumed when the vendor sends none (overridable with the client's `tokenTtlSeconds`). */
    readonly defaultTtlSeconds: number;
  };
  /** How the token is sent on every other call. */
  readonly inject: { readonly in: 'query'; readonly name: string };
  /** Result codes that mean "this token is no longer valid": invalidate, refresh and retry once. */
  readonly refreshOn: readonly number[];
}

/** Static credentials from the vendor console, sent as they are (Juzibot `token`, or an `apiKey`). */
export interface StaticAuth {
  readonly type: 'static';
  /** The name of this credential kind (`x-scrm-auth.kind`), when the vendor has several kinds. */
  readonly kind?: string;
  /** Credential id → client option name (e.g. `groupToken` → `groupToken`). */
  readonly credentials: Readonly<Record<string, string>>;
  /** The credential an operation uses unless its metadata names another. */
  readonly default: string;
  /** Where a credential goes unless an operation says otherwise. */
  readonly inject: { readonly in: 'query'; readonly name: string };
  readonly refreshOn?: readonly number[];
}

export type AuthSpec = TokenEndpointAuth | StaticAuth;

/**
 * A further token kind (`x-scrm-tokens`): credentials exchanged for a token at one of the vendor's operations (WeCom's
 * `suite` and `provider` tokens), or another way of obtaining an existing kind (`provides`: a WeCom third-party app's
 * corp token from `get_corp_token`). The runtime fetches the kinds a client manages (`credentials/kinds.ts`); the sandbox issues them.
 */
export interface TokenKind
  extends Pick<TokenEndpointAuth, 'method' | 'path' | 'operationId' | 'credentialsIn' | 'secrets' | 'token' | 'refreshOn'> {
  /** Request parameter name → the option or per-tenant value that supplies it (e.g. `permanent_code` → `permanentCode`). */
  readonly credentials: Readonly<Record<string, string>>;
  /** How the token is sent on the operations that carry it; absent when the kind `provides` another (that kind's applies). */
  readonly inject?: { readonly in: 'query'; readonly name: string };
  /** The kind this one is another way of obtaining (`corp`). */
  readonly provides?: string;
  /** The kind the token request itself carries (`suite` for `get_corp_token`). */
  readonly carries?: string;
  /** A ticket the token request needs that the vendor pushes to the app (which keeps the newest) instead of the app holding it. */
  readonly ticket?: {
    /** The token-request parameter (a key of `credentials`) the ticket is sent as. */
    readonly credential: string;
    /** The webhook that delivers a fresh ticket, and the field of its payload holding it. */
    readonly webhook: string;
    readonly field: string;
    /** How long a pushed ticket is usable, from the push. */
    readonly ttlSeconds: number;
    /** How often the vendor pushes a fresh one. */
    readonly intervalSeconds?: number;
  };
  /** The page where a tenant's administrator authorizes (installs) the app this kind's token belongs to. */
  readonly installPage?: {
    /** Absolute https URL, without a query. */
    readonly url: string;
    /**
     * Query parameter name → the value it carries: a non-secret option of `credentials`, or `preAuthCode`,
     * `redirectUri`, `state` (left out when not given). In link order.
     */
    readonly query: Readonly<Record<string, string>>;
  };
}

/** Which credential an operation takes and where, when it differs from the vendor default. */
export interface CredentialUse {
  readonly use: string;
  /** Another credential to send when `use` is not configured (e.g. a marketing key that falls back to the vendor's main key). */
  readonly fallback?: string;
  readonly in?: 'query' | 'body';
  readonly name?: string;
}

export interface VendorProfile {
  /** Short vendor name used in errors and log lines: `wecom`, `juzibot`, … */
  readonly vendor: string;
  readonly baseUrl: string;
  readonly envelope: EnvelopeSpec;
  readonly auth: AuthSpec;
  /** Further token kinds by name (`x-scrm-tokens`), besides the one of `auth`. */
  readonly tokens?: Readonly<Record<string, TokenKind>>;
  /** Result code → action, for every code whose action is not `fail`. */
  readonly errorActions: Readonly<Record<string, ErrorAction>>;
  /** `METHOD /path` → metadata. */
  readonly operations: Readonly<Record<string, OperationMeta>>;
  /** Query/body parameter names whose values are credentials (redacted everywhere). */
  readonly secretParams: readonly string[];
  /** Rate limits the vendor documents (`x-scrm-rate-limits`), enforced client-side by the throttle. */
  readonly rateLimits?: readonly RateLimitRule[];
  /** HTTP statuses the vendor documents with a meaning of its own (e.g. 401 / 402 / 429). */
  readonly httpErrors?: Readonly<Record<string, { readonly name: string; readonly action: ErrorAction }>>;
}

export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
