/**
 * Credentials exchanged for a short-lived token at a token endpoint (WeCom `gettoken`, Weiling
 * `access_token/get`): the token is cached in the token store, refreshed before it expires and, when the vendor
 * refuses it, invalidated so the engine retries once with a fresh one.
 */
import { ScrmParseError } from '../errors.js';
import { readPath } from '../paginate.js';
import { operationKey, type TokenEndpointAuth } from '../profile.js';
import { MemoryTokenStore, TokenManager, tokenStoreKey, type FetchedToken } from '../token.js';
import { requireOption } from './options.js';
import type { CredentialContext, CredentialStrategy } from './source.js';

export const tokenEndpoint: CredentialStrategy<TokenEndpointAuth> = {
  type: 'token-endpoint',
  create(auth, context) {
    const { vendor, credentials, redactor } = context;
    // every parameter of the token request is needed
    const params = Object.fromEntries(
      Object.entries(auth.credentials).map(([param, option]) => [param, requireOption(credentials, option, vendor)]),
    );
    for (const param of auth.secrets) redactor.addCredential(params[param]);
    const publicParam = Object.keys(auth.credentials).find((p) => !auth.secrets.includes(p));
    const tokens = new TokenManager({
      vendor,
      key: tokenStoreKey(
        vendor,
        publicParam ? (params[publicParam] ?? '') : '',
        auth.secrets.map((p) => params[p] ?? ''),
      ),
      store: context.tokenStore ?? new MemoryTokenStore(),
      refreshMarginMs: context.tokenRefreshMarginMs,
      logger: context.logger,
      onEvent: context.onEvent,
      onNewToken: (value) => redactor.addToken(value),
      fetchToken: () => fetchToken(auth, params, context),
    });
    return {
      refreshOn: auth.refreshOn,
      get: async () => ({ value: await tokens.get(), in: auth.inject.in, name: auth.inject.name }),
      invalidate: (value) => tokens.invalidate(value),
    };
  },
};

async function fetchToken(auth: TokenEndpointAuth, params: Record<string, string>, context: CredentialContext): Promise<FetchedToken> {
  return requestToken(auth, params, context);
}

/** What a token request is made from: a `TokenEndpointAuth` or a further `TokenKind`. */
export type TokenRequestSpec = Pick<TokenEndpointAuth, 'method' | 'path' | 'operationId' | 'credentialsIn' | 'token'>;

/**
 * Sends one token request through the transport (retries, timeout, envelope check) and reads the token and its
 * lifetime. With `carried`, the request itself carries another kind's token (WeCom's `get_corp_token` carries the
 * suite token): it goes out as an authenticated call of its operation, whose metadata names that kind.
 */
export async function requestToken(
  spec: TokenRequestSpec,
  params: Readonly<Record<string, string>>,
  context: Pick<CredentialContext, 'vendor' | 'profile' | 'baseUrl' | 'send' | 'tokenTtlSeconds'>,
  carried = false,
): Promise<FetchedToken> {
  const url = new URL(context.baseUrl + spec.path);
  const init: RequestInit = { method: spec.method, headers: { accept: 'application/json' } };
  if (spec.credentialsIn === 'query') {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  } else {
    init.body = JSON.stringify(params);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  const meta = context.profile.operations[operationKey(spec.method, spec.path)] ?? { id: spec.operationId, idempotent: true };
  const outcome = await context.send(new Request(url, init), { method: spec.method, path: spec.path, meta, authenticated: carried });
  if (outcome.error) throw outcome.error;
  const value = readPath(outcome.body, spec.token.field);
  if (typeof value !== 'string' || value === '') {
    const { response } = outcome;
    throw new ScrmParseError(
      {
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        kind: 'envelope',
        bodySnippet: '',
        retryable: false,
      },
      { vendor: context.vendor, operation: spec.operationId, method: spec.method, path: spec.path },
    );
  }
  const expires = spec.token.expiresIn ? Number(readPath(outcome.body, spec.token.expiresIn)) : Number.NaN;
  const fallbackTtl = context.tokenTtlSeconds ?? spec.token.defaultTtlSeconds;
  return { value, expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : fallbackTtl };
}
