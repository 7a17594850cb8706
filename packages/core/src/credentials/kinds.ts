/**
 * Token kinds beyond a vendor's default one (`x-scrm-tokens`, compiled into `profile.tokens`): one managed token per
 * (kind, app, tenant), fetched single-flight and refreshed like the default token (`TokenManager`), kept in any
 * `TokenStore` under a key naming all four. A client routes each call to the token of the kind its operation carries
 * (`OperationMeta.token`, else the default kind). Built for WeCom's 服务商 / 代开发 apps (a suite token, and a corp
 * token per authorizing corp from `get_corp_token`), but nothing here knows WeCom: the kinds come from the profile.
 */
import { ScrmConfigError } from '../errors.js';
import type { Logger, ScrmEvent } from '../logger.js';
import type { TokenKind, VendorProfile } from '../profile.js';
import type { Redactor } from '../redact.js';
import { kindTokenKey, TokenManager, type TokenStore } from '../token.js';
import type { Outcome } from '../transport/engine.js';
import type { CallTarget } from '../transport/target.js';
import type { Credential, CredentialSource } from './source.js';
import { requestToken, type TokenRequestSpec } from './token-endpoint.js';

/** A value a token request needs: fixed, or read each time a token is fetched (a pushed ticket, a tenant's code). */
export type TokenParamValue = string | (() => string | Promise<string>);

export interface TokenSourceOptions {
  vendor?: string;
  profile: VendorProfile;
  /** A key of `profile.tokens`, or the kind of `profile.auth` (WeCom's `corp`). */
  kind: string;
  /** Option name (the values of the kind's `credentials`) → its value. */
  values: Readonly<Record<string, TokenParamValue | undefined>>;
  /** The app the token belongs to (a public id: WeCom's suite id). Part of the store key. */
  app: string;
  /** The tenant the token is for (a public id: WeCom's authorizing corp id). Part of the store key. */
  tenant?: string | undefined;
  /** The host of the token endpoint (after `baseUrl`). */
  baseUrl: string;
  /** Sends the token request through a transport; when the kind `carries` another, that transport must manage it. */
  send: (request: Request, target: CallTarget) => Promise<Outcome>;
  store: TokenStore;
  /** Fixed secrets go here so that they are redacted wherever they appear. */
  redactor?: Redactor | undefined;
  refreshMarginMs?: number | undefined;
  tokenTtlSeconds?: number | undefined;
  logger?: Logger | undefined;
  onEvent?: ((event: ScrmEvent) => void) | undefined;
  /** Turns a failed token request into the error the caller sees (e.g. a refused permanent code). */
  mapError?: ((error: unknown) => unknown) | undefined;
}

/** One managed token of one kind, app and tenant. */
export interface TokenSource {
  readonly kind: string;
  /** Where the token goes on the calls that carry it. */
  readonly inject: { readonly in: 'query'; readonly name: string };
  /** Result codes meaning "this token is no longer valid". */
  readonly refreshOn: readonly number[];
  /** The store key (public ids and a fingerprint only). */
  readonly key: string;
  get(): Promise<string>;
  invalidate(value: string): Promise<void>;
  /** Forgets the token in this process and in the store (an authorization was cancelled). */
  drop(): Promise<void>;
  /** Token requests made by this process (for tests and the bench). */
  readonly fetchCount: number;
}

/** The request spec of a kind: a further kind of `profile.tokens`, or the default one of `profile.auth`. */
function specOf(
  profile: VendorProfile,
  kind: string,
): (TokenRequestSpec & Pick<TokenKind, 'credentials' | 'secrets' | 'refreshOn' | 'provides' | 'carries'>) & {
  inject?: TokenKind['inject'];
} {
  const further = profile.tokens?.[kind];
  if (further) return further;
  if (profile.auth.type === 'token-endpoint' && (profile.auth.kind ?? 'default') === kind) return profile.auth;
  const known = [
    ...(profile.auth.type === 'token-endpoint' && profile.auth.kind ? [profile.auth.kind] : []),
    ...Object.keys(profile.tokens ?? {}),
  ];
  throw new ScrmConfigError(`${profile.vendor}: ${kind} is not a token kind; known: ${known.join(', ') || 'none'}`, profile.vendor);
}

/** Where a kind's token is sent: its own `inject`, else that of the kind it `provides`. */
function injectOf(profile: VendorProfile, kind: string): { in: 'query'; name: string } {
  const spec = specOf(profile, kind);
  if (spec.inject) return spec.inject;
  if (spec.provides) return injectOf(profile, spec.provides);
  throw new ScrmConfigError(`${profile.vendor}: token kind ${kind} says neither where it goes nor which kind it provides`, profile.vendor);
}

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { profile, kind, values } = options;
  const vendor = options.vendor ?? profile.vendor;
  const spec = specOf(profile, kind);
  const inject = injectOf(profile, kind);
  // fixed values are checked now; values read later are checked when they are read
  for (const option of Object.values(spec.credentials)) {
    const value = values[option];
    if (typeof value === 'function') continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ScrmConfigError(`${vendor}: the ${kind} token needs the \`${option}\` option (a non-empty string)`, vendor);
    }
  }
  const fixedSecrets: string[] = [];
  for (const param of spec.secrets) {
    const value = values[spec.credentials[param] ?? param];
    if (typeof value === 'string') {
      fixedSecrets.push(value);
      options.redactor?.addCredential(value);
    }
  }
  const resolve = async (): Promise<Record<string, string>> => {
    const params: Record<string, string> = {};
    for (const [param, option] of Object.entries(spec.credentials)) {
      const given = values[option];
      const value = typeof given === 'function' ? await given() : given;
      if (typeof value !== 'string' || value === '') {
        throw new ScrmConfigError(`${vendor}: the ${kind} token needs \`${option}\`, which is empty`, vendor);
      }
      if (spec.secrets.includes(param)) options.redactor?.addCredential(value);
      params[param] = value;
    }
    return params;
  };
  const key = kindTokenKey(vendor, kind, options.app, options.tenant, fixedSecrets);
  const context = { vendor, profile, baseUrl: options.baseUrl, send: options.send, tokenTtlSeconds: options.tokenTtlSeconds };
  const manager = new TokenManager({
    vendor,
    key,
    store: options.store,
    refreshMarginMs: options.refreshMarginMs,
    logger: options.logger,
    onEvent: options.onEvent,
    onNewToken: (value) => options.redactor?.addToken(value),
    // an app with many tenants may wait for many tokens at once: back off instead of polling the store every 50 ms
    lockPollMaxMs: 800,
    lockTtlMs: 20_000,
    fetchToken: async () => {
      try {
        return await requestToken(spec, await resolve(), context, spec.carries !== undefined);
      } catch (error) {
        throw options.mapError ? options.mapError(error) : error;
      }
    },
  });
  return {
    kind,
    inject,
    refreshOn: spec.refreshOn,
    key,
    get: () => manager.get(),
    invalidate: (value) => manager.invalidate(value),
    drop: () => manager.drop(),
    get fetchCount() {
      return manager.fetchCount;
    },
  };
}

/**
 * The credential source of a client whose tokens come from `TokenSource`s: each call gets the token of the kind its
 * operation carries (`meta.token`), else `fallback` (the default kind). A call of a kind the client does not manage
 * is refused with a `ScrmConfigError` naming it, before anything is sent.
 */
export function routeCredentials(
  vendor: string,
  sources: { readonly fallback?: TokenSource | undefined; readonly kinds?: Readonly<Record<string, TokenSource>> },
  redactor?: Redactor,
  missing?: (kind: string | undefined, target: CallTarget) => Error,
): CredentialSource {
  const pick = (target: CallTarget | undefined): TokenSource | undefined => {
    const kind = target?.meta?.token;
    return kind === undefined ? sources.fallback : sources.kinds?.[kind];
  };
  return {
    refreshOn: sources.fallback?.refreshOn ?? [],
    async get(target): Promise<Credential> {
      const source = pick(target);
      if (!source) {
        const kind = target.meta?.token;
        throw (
          missing?.(kind, target) ??
          new ScrmConfigError(
            `${vendor}: ${target.meta?.id ?? `${target.method} ${target.path}`} carries the ${kind ?? 'default'} token, which this client does not manage`,
            vendor,
          )
        );
      }
      const value = await source.get();
      redactor?.addToken(value);
      return { value, in: source.inject.in, name: source.inject.name, refreshOn: source.refreshOn };
    },
    async invalidate(value, target) {
      await pick(target)?.invalidate(value);
    },
  };
}
