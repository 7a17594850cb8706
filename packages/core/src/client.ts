/**
 * `createScrmClient()` — the openapi-fetch client every vendor factory returns, driven by a vendor profile.
 * Vendor packages add only credential checks and their generated types.
 */
import createOpenApiClient, { type Client, type MaybeOptionalInit } from 'openapi-fetch';
type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
import { Engine, parsedBodies, type CallState, type CallTarget, type CredentialSource } from './engine.js';
import { ScrmApiError, ScrmConfigError, ScrmParseError } from './errors.js';
import type { Logger, ScrmEvent } from './logger.js';
import { Paginator, readPath, type PaginateOptions } from './paginate.js';
import { PlainRequest } from './plain-request.js';
import { operationKey, type OperationMeta, type TokenEndpointAuth, type VendorProfile } from './profile.js';
import { Redactor } from './redact.js';
import { resolveRetry, type RetryOptions } from './retry.js';
import { MemoryThrottleStore, type RateLimitRule, type ThrottleStore } from './throttle.js';
import { MemoryTokenStore, TokenManager, tokenStoreKey, type FetchedToken, type TokenStore } from './token.js';

/** Options every vendor factory accepts besides its credentials. */
export interface ScrmClientOptions {
  /** Another host: the sandbox, a proxy. Defaults to the vendor's production host. */
  baseUrl?: string;
  /** A `fetch` implementation (tests, proxies, instrumentation). Defaults to `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Where tokens are kept. Defaults to this process's memory; use `@scrm-openapi/redis` for many processes. */
  tokenStore?: TokenStore;
  /** Retry policy, or `false` to never retry (the one token-refresh retry still happens). */
  retry?: RetryOptions | false;
  /** Per-attempt timeout in milliseconds. Default 15000. */
  timeoutMs?: number;
  /** A pino-compatible logger (or `console`). Off by default. Nothing logged carries a secret. */
  logger?: Logger;
  /** Called for every request, response, retry and token refresh. */
  onEvent?: (event: ScrmEvent) => void;
  /** Refresh a token this long before it expires. Default 5 minutes. */
  tokenRefreshMarginMs?: number;
  /**
   * How long a token lives when the vendor does not say (Weiling documents no lifetime; default from the spec).
   * A token refused earlier is refreshed anyway.
   */
  tokenTtlSeconds?: number;
  /**
   * Client-side throttling to the vendor's documented rate limits (on by default, in this process's memory).
   * Pass a shared `store` (`createRedisThrottleStore` from `@scrm-openapi/redis`) to throttle a fleet together,
   * `rules` to replace the spec's limits, or `false` to turn it off.
   */
  throttle?: false | { store?: ThrottleStore; rules?: readonly RateLimitRule[] };
}

/** The init of a paginated call (the cursor is filled in by `paginate()`). */
export type PageInit<Paths, P extends keyof Paths, M> = M extends keyof Paths[P] ? MaybeOptionalInit<Paths[P], M> : never;

/** Type map of paginated operations, generated per vendor: path → method and item type. */
export type PaginatedMap = Record<string, { method: HttpMethod; item: unknown; page: unknown }>;

export type ScrmClient<Paths extends {}, Pages extends PaginatedMap> = Client<Paths, 'application/json'> & {
  /**
   * Iterates every item of a paginated operation, page after page (`for await`); `.pages()` yields whole
   * pages and `.toArray()` collects with a safety cap.
   */
  paginate<P extends keyof Pages & keyof Paths & string>(
    path: P,
    init?: PageInit<Paths, P, Pages[P]['method']>,
    options?: PaginateOptions,
  ): Paginator<Pages[P]['item'], Pages[P]['page']>;
  /** The vendor profile this client runs on (generated from the spec). */
  readonly profile: VendorProfile;
};

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/** Error envelopes returned as `error`, mapped to the full error for `unwrap()`. */
const apiErrors = new WeakMap<object, ScrmApiError>();

/**
 * Returns `data`, or throws the typed error behind `error` (a `ScrmApiError` for vendor error codes).
 *
 *     const data = unwrap(await client.POST('/cgi-bin/externalcontact/add_contact_way', { body }));
 */
export function unwrap<T extends { data?: unknown; error?: unknown; response: Response }>(
  result: T,
): NonNullable<T['data']> {
  if (result.error !== undefined) {
    const err = typeof result.error === 'object' && result.error !== null ? apiErrors.get(result.error) : undefined;
    if (err) throw err;
    throw new ScrmParseError(
      { status: result.response.status, contentType: result.response.headers.get('content-type') ?? undefined, kind: 'envelope', bodySnippet: '', retryable: false },
      { vendor: 'unknown' },
    );
  }
  return result.data as NonNullable<T['data']>;
}

export function createScrmClient<Paths extends {}, Pages extends PaginatedMap>(
  profile: VendorProfile,
  credentials: Readonly<Record<string, string>>,
  options: ScrmClientOptions = {},
): ScrmClient<Paths, Pages> {
  const vendor = profile.vendor;
  const auth = profile.auth;
  // token endpoints need every credential; static auth needs its default credential, the others when used
  const required = auth.type === 'token-endpoint' ? Object.values(auth.credentials) : [auth.credentials[auth.default] ?? auth.default];
  for (const option of Object.values(auth.credentials)) {
    const value = credentials[option];
    if (value === undefined && !required.includes(option)) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ScrmConfigError(`${vendor}: option \`${option}\` is required and must be a non-empty string`, vendor);
    }
  }
  const redactor = new Redactor([...profile.secretParams]);
  const secretOptions =
    auth.type === 'token-endpoint' ? auth.secrets.map((param) => auth.credentials[param] ?? '') : Object.values(auth.credentials);
  for (const option of secretOptions) redactor.addCredential(credentials[option]);

  if (options.tokenTtlSeconds !== undefined && !(Number.isFinite(options.tokenTtlSeconds) && options.tokenTtlSeconds > 0)) {
    throw new ScrmConfigError('tokenTtlSeconds must be a positive number', vendor);
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ScrmConfigError(`timeoutMs must be a positive number`, vendor);
  let retry;
  try {
    retry = resolveRetry(options.retry);
  } catch (e) {
    throw new ScrmConfigError((e as Error).message, vendor);
  }
  const baseUrl = (options.baseUrl ?? profile.baseUrl).replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new ScrmConfigError(`baseUrl is not an absolute URL`, vendor);
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new ScrmConfigError('no fetch implementation available', vendor);

  let credentialSource: CredentialSource | undefined;
  // throttle state is per credential (WeCom limits are per corp and API): key it by a fingerprint, never a secret
  const fingerprint = tokenStoreKey(
    vendor,
    '',
    Object.values(auth.credentials).map((option) => credentials[option] ?? ''),
  ).split(':').at(-1);
  const throttle =
    options.throttle === false
      ? undefined
      : {
          store: options.throttle?.store ?? new MemoryThrottleStore(),
          rules: options.throttle?.rules ?? profile.rateLimits ?? [],
          scope: `scrm:${vendor}:throttle:${fingerprint}`,
        };
  const engine = new Engine({
    throttle,
    profile,
    fetch: fetchImpl,
    retry,
    timeoutMs,
    redactor,
    logger: options.logger,
    onEvent: options.onEvent,
    get credentials() {
      return credentialSource;
    },
  });

  if (auth.type === 'token-endpoint') {
    const publicParam = Object.keys(auth.credentials).find((p) => !auth.secrets.includes(p));
    const publicId = publicParam ? (credentials[auth.credentials[publicParam] ?? ''] ?? '') : '';
    const secretValues = auth.secrets.map((p) => credentials[auth.credentials[p] ?? ''] ?? '');
    const tokens = new TokenManager({
      vendor,
      key: tokenStoreKey(vendor, publicId, secretValues),
      store: options.tokenStore ?? new MemoryTokenStore(),
      refreshMarginMs: options.tokenRefreshMarginMs,
      logger: options.logger,
      onEvent: options.onEvent,
      onNewToken: (value) => redactor.addToken(value),
      fetchToken: () => fetchToken(engine, auth, vendor, baseUrl, credentials, options.tokenTtlSeconds),
    });
    credentialSource = {
      refreshOn: auth.refreshOn,
      get: async () => ({ value: await tokens.get(), in: auth.inject.in, name: auth.inject.name }),
      invalidate: (value) => tokens.invalidate(value),
    };
  } else {
    credentialSource = {
      refreshOn: auth.refreshOn ?? [],
      get: async (target) => {
        const wanted = target.meta?.credential?.use ?? auth.default;
        const fallback = target.meta?.credential?.fallback;
        const configured = (use: string) => {
          const v = credentials[auth.credentials[use] ?? use];
          return typeof v === 'string' && v !== '';
        };
        const use = !configured(wanted) && fallback !== undefined && configured(fallback) ? fallback : wanted;
        const option = auth.credentials[use] ?? use;
        const value = credentials[option];
        if (typeof value !== 'string' || value === '') {
          throw new ScrmConfigError(`${vendor}: ${target.meta?.id ?? target.path} needs the \`${option}\` option`, vendor);
        }
        return { value, in: target.meta?.credential?.in ?? auth.inject.in, name: target.meta?.credential?.name ?? auth.inject.name };
      },
      invalidate: async () => {},
    };
  }

  const inner = createOpenApiClient<Paths>({ baseUrl, fetch: fetchImpl });
  // middlewares see real Request objects; without any, openapi-fetch builds the cheaper PlainRequest for the engine
  const middlewares = new Set<unknown>();

  const call = async (method: (typeof METHODS)[number], path: string, init: Record<string, unknown> | undefined) => {
    const meta: OperationMeta | undefined = profile.operations[operationKey(method, path)];
    const target: CallTarget = { method, path, meta, authenticated: meta?.authenticated ?? true };
    // With no middleware and the default parseAs, the engine's parsed body is the data (no second read and parse);
    // openapi-fetch is told to leave the body alone ('stream') and its `data` is replaced below.
    const fast = middlewares.size === 0 && (init?.parseAs === undefined || init.parseAs === 'json');
    const state: CallState = { keepParsed: fast };
    const doFetch = (request: Request) => engine.execute(request, target, state);
    const fn = inner[method] as (p: string, i: Record<string, unknown>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    // an operation on its own host goes there, unless the caller pointed the whole client elsewhere
    const requestBaseUrl = meta?.server && options.baseUrl === undefined ? { baseUrl: meta.server } : {};
    const RequestClass = middlewares.size === 0 ? (PlainRequest as unknown as typeof Request) : globalThis.Request;
    const result = await fn(path, { Request: RequestClass, ...init, ...(fast ? { parseAs: 'stream' } : {}), ...requestBaseUrl, fetch: doFetch });
    if (fast) {
      if (!parsedBodies.has(result.response)) throw new Error(`${vendor}: internal error: no parsed body for ${method} ${path}`);
      result.data = parsedBodies.get(result.response);
      parsedBodies.delete(result.response);
    }
    if (state.apiError) {
      const envelope = result.data;
      if (envelope !== null && typeof envelope === 'object') apiErrors.set(envelope, state.apiError);
      return { error: envelope, response: result.response };
    }
    return result;
  };

  const client = {
    profile,
    use: (...added: Parameters<typeof inner.use>) => {
      inner.use(...added);
      for (const m of added) middlewares.add(m);
    },
    eject: (...removed: Parameters<typeof inner.eject>) => {
      inner.eject(...removed);
      for (const m of removed) middlewares.delete(m);
    },
    request: (method: string, path: string, init?: Record<string, unknown>) =>
      call(method.toUpperCase() as (typeof METHODS)[number], path, init),
    paginate: (path: string, init?: Record<string, unknown>, paginateOptions?: PaginateOptions) => {
      const entry = Object.entries(profile.operations).find(([key, m]) => m.pagination && key.endsWith(` ${path}`));
      if (!entry) throw new ScrmConfigError(`${path} is not a paginated operation of ${vendor}`, vendor);
      const [key, meta] = entry;
      const method = key.slice(0, key.indexOf(' ')) as (typeof METHODS)[number];
      return new Paginator(meta, vendor, path, init, paginateOptions, async (pageInit) => unwrap(await call(method, path, pageInit)));
    },
  } as Record<string, unknown>;
  for (const method of METHODS) {
    client[method] = (path: string, init?: Record<string, unknown>) => call(method, path, init);
  }
  return client as unknown as ScrmClient<Paths, Pages>;
}

async function fetchToken(
  engine: Engine,
  auth: TokenEndpointAuth,
  vendor: string,
  baseUrl: string,
  credentials: Readonly<Record<string, string>>,
  ttlOverride: number | undefined,
): Promise<FetchedToken> {
  const url = new URL(baseUrl + auth.path);
  const init: RequestInit = { method: auth.method, headers: { accept: 'application/json' } };
  const params = Object.fromEntries(Object.entries(auth.credentials).map(([param, option]) => [param, credentials[option] ?? '']));
  if (auth.credentialsIn === 'query') {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  } else {
    init.body = JSON.stringify(params);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  const meta = engine.profile.operations[operationKey(auth.method, auth.path)] ?? { id: auth.operationId, idempotent: true };
  const state: CallState = { keepParsed: true };
  const response = await engine.execute(new Request(url, init), { method: auth.method, path: auth.path, meta, authenticated: false }, state);
  const body = parsedBodies.get(response) as Record<string, unknown>;
  parsedBodies.delete(response);
  if (state.apiError) throw state.apiError;
  const value = readPath(body, auth.token.field);
  const context = { vendor, operation: auth.operationId, method: auth.method, path: auth.path };
  if (typeof value !== 'string' || value === '') {
    throw new ScrmParseError({ status: response.status, contentType: response.headers.get('content-type') ?? undefined, kind: 'envelope', bodySnippet: '', retryable: false }, context);
  }
  const expires = auth.token.expiresIn ? Number(readPath(body, auth.token.expiresIn)) : Number.NaN;
  const fallbackTtl = ttlOverride ?? auth.token.defaultTtlSeconds;
  return { value, expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : fallbackTtl };
}
