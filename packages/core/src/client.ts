/**
 * `createScrmClient()` — the openapi-fetch client every vendor factory returns, driven by a vendor profile.
 * Vendor packages add only their generated types. The pieces: options are checked here, credentials come from
 * the strategy of the profile's auth type (`credentials/`), every attempt runs through the engine
 * (`transport/engine.ts`, deciding with `transport/classify.ts`), and openapi-fetch does the typing and middleware.
 */
import createOpenApiClient, {
  type BodySerializer,
  type Client,
  type ClientPathsWithMethod,
  type FetchResponse,
  type HeadersOptions,
  type MaybeOptionalInit,
  type ParseAs,
  type QuerySerializer,
  type QuerySerializerOptions,
} from 'openapi-fetch';
import { createCredentialSource } from './credentials/index.js';
import { ScrmConfigError } from './errors.js';
import { scrmFileOf, toFormData, type ScrmFile, type UploadForm } from './files.js';
import type { Logger, ScrmEvent } from './logger.js';
import { Paginator, type PaginateOptions } from './paginate.js';
import { PlainRequest } from './plain-request.js';
import { operationKey, type VendorProfile } from './profile.js';
import { Redactor } from './redact.js';
import { resolveRetry, type RetryOptions } from './retry.js';
import { MemoryThrottleStore, type RateLimitRule, type ThrottleStore } from './throttle.js';
import { tokenStoreKey, type TokenStore } from './token.js';
import { Engine, type Outcome } from './transport/engine.js';
import { attachApiError, unwrap } from './unwrap.js';

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

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

/** A method for `request()`, in either case. */
export type RequestMethod = HttpMethod | Uppercase<HttpMethod>;

/**
 * The init of `request()`: the same options as the typed `GET`/`POST`/… (`params.query`, `params.path`, `body`,
 * `headers`, `signal`, `parseAs`…), untyped, plus `idempotent`.
 */
export type UntypedRequestInit = Omit<RequestInit, 'body' | 'headers' | 'method'> & {
  params?: {
    query?: Record<string, unknown>;
    path?: Record<string, unknown>;
    header?: Record<string, unknown>;
    cookie?: Record<string, unknown>;
  };
  body?: unknown;
  headers?: HeadersOptions;
  baseUrl?: string;
  querySerializer?: QuerySerializer<unknown> | QuerySerializerOptions;
  bodySerializer?: BodySerializer<unknown>;
  parseAs?: ParseAs;
  /**
   * Whether the call is safe to send twice, so it is retried after a retryable code, a 5xx or a timeout. By
   * default: what the spec says for a path it knows; otherwise `true` for GET and HEAD only (a POST the spec
   * does not know may be a write, retried only when it provably never left).
   */
  idempotent?: boolean;
};

/** What `request()` returns: openapi-fetch's `{ data, error, response }` with nothing known about `data` or `error`. */
export type UntypedResult = { data: unknown; error?: never; response: Response } | { data?: never; error: unknown; response: Response };

/** The init of `upload()`: the POST's parameters, and the multipart parts instead of a body. */
export type UploadInit<Paths, P extends keyof Paths> = Omit<PageInit<Paths, P, 'post'>, 'body' | 'bodySerializer' | 'parseAs'> & {
  /** The parts: files (`{ data, filename, contentType? }`) and text fields, e.g. `{ media: { data: buffer, filename: '客户资料.pdf' } }`. */
  form: UploadForm;
};

/** What `download()` returns: the file as `data`, or the vendor's error envelope as `error` (works with `unwrap()`). */
export type DownloadResult<E = unknown> =
  | { data: ScrmFile; error?: never; response: Response }
  | { data?: never; error: E; response: Response };

type PostPath<Paths extends {}> = ClientPathsWithMethod<Client<Paths, 'application/json'>, 'post'>;
type GetPath<Paths extends {}> = ClientPathsWithMethod<Client<Paths, 'application/json'>, 'get'>;
type ErrorOf<Paths, P extends keyof Paths, M extends 'get' | 'post'> = P extends keyof Paths
  ? Paths[P] extends Record<M, infer Op>
    ? Op extends Record<string | number, any>
      ? Extract<FetchResponse<Op, {}, 'application/json'>, { error: unknown }>['error']
      : unknown
    : unknown
  : unknown;

export type ScrmClient<Paths extends {}, Pages extends PaginatedMap> = Client<Paths, 'application/json'> & {
  /**
   * Uploads files as multipart/form-data (WeCom `media/upload`): each file from a Blob, a Buffer / typed array, a web
   * `ReadableStream` or a Node `Readable`, with an explicit file name (Chinese names arrive intact, as UTF-8). Runs
   * through the same transport as `POST` and answers like it.
   *
   *     await client.upload('/cgi-bin/media/upload', { params: { query: { type: 'file' } }, form: { media: { data: buffer, filename: '客户资料.pdf' } } });
   */
  upload<P extends PostPath<Paths>>(
    path: P,
    init: UploadInit<Paths, P>,
  ): Promise<
    P extends keyof Paths
      ? Paths[P] extends { post: infer Op extends Record<string | number, any> }
        ? FetchResponse<Op, {}, 'application/json'>
        : never
      : never
  >;
  /**
   * Downloads a file (WeCom `media/get`): `data` is the bytes with their content type and the file name from
   * `Content-Disposition` (decoded); a JSON error answer on the same URL is the typed `error`, as for every call.
   *
   *     const file = await unwrap(client.download('/cgi-bin/media/get', { params: { query: { media_id } } }));
   *     await writeFile(file.fileName ?? 'download', file.bytes);
   */
  download<P extends GetPath<Paths>>(
    path: P,
    init?: Omit<PageInit<Paths, P & keyof Paths, 'get'>, 'parseAs'>,
  ): Promise<DownloadResult<ErrorOf<Paths, P & keyof Paths, 'get'>>>;
  /**
   * The escape hatch for an endpoint the spec lacks (UNTYPED: `data` and `error` are `unknown`): a call by method
   * and path that runs through the same transport as `GET`/`POST`/… (token injection, retries, the envelope's
   * error codes, redaction). Prefer the typed methods; open an issue for the missing endpoint.
   *
   *     const result = await client.request('POST', '/cgi-bin/externalcontact/some_new_api', { body: { a: 1 } });
   *     const data = await unwrap(client.request('GET', '/some/read', { params: { query: { id: 'x' } } }));
   */
  request(method: RequestMethod, path: string, init?: UntypedRequestInit): Promise<UntypedResult>;
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
type Method = (typeof METHODS)[number];
type Result = { data?: unknown; error?: unknown; response: Response };

export function createScrmClient<Paths extends {}, Pages extends PaginatedMap>(
  profile: VendorProfile,
  credentials: Readonly<Record<string, string>>,
  options: ScrmClientOptions = {},
): ScrmClient<Paths, Pages> {
  const vendor = profile.vendor;
  const { engine, redactor, baseUrl, fetchImpl } = createTransport(profile, credentials, options);
  const inner = createOpenApiClient<Paths>({ baseUrl, fetch: fetchImpl });
  // middlewares see real Request objects and responses they can read; without any, the cheaper path is taken
  const middlewares = new Set<unknown>();

  const call = async (
    method: Method,
    path: string,
    init: Record<string, unknown> | undefined,
    idempotent?: boolean,
    file?: (outcome: Outcome) => void,
  ): Promise<Result> => {
    const known = profile.operations[operationKey(method, path)];
    // a download reads the answer as bytes whatever the spec says of the path
    const meta = file && !known?.binary ? { ...(known ?? { id: `${method} ${path}`, idempotent: method === 'GET' }), binary: true } : known;
    const target = { method, path, meta, authenticated: meta?.authenticated ?? true, idempotent };
    // With no middleware and the default parseAs, the engine's parsed body is the data (no second read and parse):
    // openapi-fetch is told to leave the body alone ('stream') and its `data` is replaced below.
    const fast = middlewares.size === 0 && (init?.parseAs === undefined || init.parseAs === 'json');
    // openapi-fetch's `fetch` can only hand back a Response: the engine's whole outcome is kept here, for this call
    let outcome: Outcome | undefined;
    const fetch = async (request: Request) => {
      outcome = await engine.execute(request, target);
      return callerResponse(outcome, fast, redactor);
    };
    // an operation on its own host goes there, unless the caller pointed the whole client elsewhere
    const requestBaseUrl = meta?.server && options.baseUrl === undefined ? { baseUrl: meta.server } : {};
    const RequestClass = middlewares.size === 0 ? PlainRequest : globalThis.Request;
    const result = await (inner[method] as (p: string, i: Record<string, unknown>) => Promise<Result>)(path, {
      Request: RequestClass,
      ...init,
      ...(fast ? { parseAs: 'stream' } : {}),
      ...requestBaseUrl,
      fetch,
    });
    if (fast) result.data = outcome?.body;
    if (outcome && file) file(outcome);
    if (!outcome?.error) return result;
    // a vendor error code: the envelope becomes `error`, carrying the typed error for `unwrap()` (for a binary
    // operation, the envelope the engine parsed: openapi-fetch read the answer as bytes)
    const envelope = meta?.binary ? outcome.body : result.data;
    attachApiError(envelope, outcome.error);
    return { error: envelope, response: result.response };
  };

  const client: Record<string, unknown> = {
    profile,
    use: (...added: Parameters<typeof inner.use>) => {
      inner.use(...added);
      for (const m of added) middlewares.add(m);
    },
    eject: (...removed: Parameters<typeof inner.eject>) => {
      inner.eject(...removed);
      for (const m of removed) middlewares.delete(m);
    },
    request: async (method: string, path: string, init?: Record<string, unknown>) => {
      const upper = typeof method === 'string' ? method.toUpperCase() : '';
      if (!(METHODS as readonly string[]).includes(upper))
        throw new ScrmConfigError(`request(): unknown HTTP method ${String(method)}`, vendor);
      if (typeof path !== 'string' || !path.startsWith('/')) {
        throw new ScrmConfigError(`request(): the path must start with "/", like the spec's paths`, vendor);
      }
      const { idempotent, ...rest } = init ?? {};
      if (idempotent !== undefined && typeof idempotent !== 'boolean')
        throw new ScrmConfigError('request(): idempotent must be a boolean', vendor);
      return call(upper as Method, path, rest, idempotent);
    },
    upload: async (path: string, init: Record<string, unknown> & { form?: UploadForm }) => {
      const { form, ...rest } = init ?? {};
      if (!form || typeof form !== 'object') throw new ScrmConfigError('upload(): give the multipart parts as `form`', vendor);
      let body: FormData;
      try {
        body = await toFormData(form);
      } catch (e) {
        throw new ScrmConfigError(`upload(): ${(e as Error).message}`, vendor);
      }
      return call('POST', path, { ...rest, body, bodySerializer: (b: unknown) => b });
    },
    download: async (path: string, init?: Record<string, unknown>) => {
      let outcome: Outcome | undefined;
      const result = await call('GET', path, init, undefined, (o) => {
        outcome = o;
      });
      if (result.error !== undefined || !outcome) return result;
      return { data: scrmFileOf(outcome.bytes ?? new ArrayBuffer(0), outcome.response.headers), response: result.response };
    },
    paginate: (path: string, init?: Record<string, unknown>, paginateOptions?: PaginateOptions) => {
      const entry = Object.entries(profile.operations).find(([key, m]) => m.pagination && key.endsWith(` ${path}`));
      if (!entry) throw new ScrmConfigError(`${path} is not a paginated operation of ${vendor}`, vendor);
      const [key, meta] = entry;
      const method = key.slice(0, key.indexOf(' ')) as Method;
      return new Paginator(meta, vendor, path, init, paginateOptions, async (pageInit) => unwrap(await call(method, path, pageInit)));
    },
  };
  for (const method of METHODS) client[method] = (path: string, init?: Record<string, unknown>) => call(method, path, init);
  return client as unknown as ScrmClient<Paths, Pages>;
}

/** The engine of one client, with its credential source, redactor and checked options. */
function createTransport(profile: VendorProfile, credentials: Readonly<Record<string, string>>, options: ScrmClientOptions) {
  const redactor = new Redactor([...profile.secretParams]);
  const baseUrl = (options.baseUrl ?? profile.baseUrl).replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const engine: Engine = new Engine({
    profile,
    fetch: fetchImpl,
    redactor,
    // checked first: a missing credential is the likeliest mistake
    credentials: createCredentialSource(profile.auth, {
      vendor: profile.vendor,
      profile,
      credentials,
      baseUrl,
      redactor,
      send: (request, target) => engine.execute(request, target),
      tokenStore: options.tokenStore,
      tokenRefreshMarginMs: options.tokenRefreshMarginMs,
      tokenTtlSeconds: options.tokenTtlSeconds,
      logger: options.logger,
      onEvent: options.onEvent,
    }),
    ...checkedTransportOptions(profile.vendor, baseUrl, fetchImpl, options),
    throttle: throttleOf(profile, credentials, options.throttle),
    logger: options.logger,
    onEvent: options.onEvent,
  });
  return { engine, redactor, baseUrl, fetchImpl };
}

/**
 * The one place the response handed back to openapi-fetch (and so to the caller and any middleware) is made.
 * On the fast path it is the vendor's own, already read response; otherwise a fresh one over the same text, for
 * openapi-fetch and middlewares to read. Either way its `url` carries no credential.
 */
function callerResponse(outcome: Outcome, fast: boolean, redactor: Redactor): Response {
  const { response, text, bytes } = outcome;
  const copy = () => new Response(bytes ?? text, { status: response.status, statusText: response.statusText, headers: response.headers });
  // a real fetch's `response.url` is the URL called, credential and all: the caller sees it redacted. An own
  // property shadows the read-only getter of Response.prototype (no copy of the body); a response that refuses
  // it (frozen) is handed back as a copy. An empty url (a fake fetch) is left as it is.
  let out = fast ? response : copy();
  if (response.url === '') return out;
  const url = redactor.text(response.url);
  if (!Reflect.defineProperty(out, 'url', { value: url, configurable: true })) {
    out = copy();
    Reflect.defineProperty(out, 'url', { value: url, configurable: true });
  }
  return out;
}

/** The timeout, retry policy, base URL and fetch, checked. */
function checkedTransportOptions(vendor: string, baseUrl: string, fetchImpl: unknown, options: ScrmClientOptions) {
  const positive = (n: number) => Number.isFinite(n) && n > 0;
  if (options.tokenTtlSeconds !== undefined && !positive(options.tokenTtlSeconds)) {
    throw new ScrmConfigError('tokenTtlSeconds must be a positive number', vendor);
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (!positive(timeoutMs)) throw new ScrmConfigError(`timeoutMs must be a positive number`, vendor);
  let retry: ReturnType<typeof resolveRetry>;
  try {
    retry = resolveRetry(options.retry);
  } catch (e) {
    throw new ScrmConfigError((e as Error).message, vendor);
  }
  if (!URL.canParse(baseUrl)) throw new ScrmConfigError(`baseUrl is not an absolute URL`, vendor);
  if (typeof fetchImpl !== 'function') throw new ScrmConfigError('no fetch implementation available', vendor);
  return { timeoutMs, retry };
}

/** Client-side throttling: per credential (WeCom limits are per corp and API), keyed by a fingerprint, never a secret. */
function throttleOf(profile: VendorProfile, credentials: Readonly<Record<string, string>>, option: ScrmClientOptions['throttle']) {
  if (option === false) return undefined;
  const values = Object.values(profile.auth.credentials).map((name) => credentials[name] ?? '');
  const fingerprint = tokenStoreKey(profile.vendor, '', values).split(':').at(-1);
  return {
    store: option?.store ?? new MemoryThrottleStore(),
    rules: option?.rules ?? profile.rateLimits ?? [],
    scope: `scrm:${profile.vendor}:throttle:${fingerprint}`,
  };
}
