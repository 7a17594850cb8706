/**
 * `createWecomProvider()` — one WeCom third-party app (第三方应用, a suite) or 代开发 template serving many corps, in the
 * shape of Octokit's App: one object holding the suite credentials and the stores, `forCorp(authCorpId)` giving the
 * same typed `WecomClient` as `createWecomClient` for each authorizing corp, one shared token cache keyed by (suite,
 * corp, token kind). The token kinds, their requests and where each token goes come from the spec (`x-scrm-tokens`,
 * compiled into `profile.tokens`); this module only wires the stores and the authorization flow to them.
 */
import {
  MemoryTokenStore,
  ScrmApiError,
  ScrmAuthorizationError,
  ScrmConfigError,
  ScrmTicketError,
  type AuthorizationStore,
  type ScrmClientOptions,
  type StoredAuthorization,
  type StoredTicket,
  type TicketStore,
  type VendorProfile,
} from '@scrm-openapi/core';
import { createScrmClient, createTokenSource, routeCredentials, type TokenSource } from '@scrm-openapi/core/internal';
import type { WecomClient } from './client.js';
import { authorizationFlow, type InstallUrlOptions, type WecomAuthorization } from './provider-authorization.js';
import type { paths } from './generated/openapi.js';
import { profile, type WecomPaginated } from './generated/profile.js';

const VENDOR = 'wecom';

/** Where the newest `suite_ticket` is kept (pushed to the 指令回调 URL; its lifetime is the spec's, `x-scrm-tokens.suite.ticket`). */
export type SuiteTicketStore = TicketStore;
/** Where each corp's permanent code (永久授权码) is kept: your database in production. */
export type PermanentCodeStore = AuthorizationStore;
export type { StoredAuthorization, StoredTicket };
export type { InstallUrlOptions, WecomAuthorization };

/** The suite tickets of this process (the default; use `createRedisTicketStore` when several processes fetch suite tokens). */
export class MemorySuiteTicketStore implements SuiteTicketStore {
  readonly #map = new Map<string, StoredTicket>();
  async get(suiteId: string): Promise<StoredTicket | undefined> {
    return this.#map.get(suiteId);
  }
  async set(suiteId: string, ticket: StoredTicket): Promise<void> {
    // a delayed push never replaces a newer ticket
    const current = this.#map.get(suiteId);
    if (!current || current.expiresAt <= ticket.expiresAt) this.#map.set(suiteId, ticket);
  }
}

/** Permanent codes in this process's memory: for tests and demos (they are lost on restart; keep them in your database). */
export class MemoryPermanentCodeStore implements PermanentCodeStore {
  readonly #map = new Map<string, StoredAuthorization>();
  async get(suiteId: string, corpId: string): Promise<StoredAuthorization | undefined> {
    return this.#map.get(`${suiteId}\u0000${corpId}`);
  }
  async set(suiteId: string, corpId: string, authorization: StoredAuthorization): Promise<void> {
    this.#map.set(`${suiteId}\u0000${corpId}`, authorization);
  }
  async delete(suiteId: string, corpId: string): Promise<void> {
    this.#map.delete(`${suiteId}\u0000${corpId}`);
  }
}

export interface WecomProviderOptions extends ScrmClientOptions {
  /**
   * `third-party` (第三方应用, the default): a corp's token comes from `get_corp_token` (suite token + permanent code).
   * `customized` (代开发): from `gettoken` with the corp id and the permanent code as the secret.
   */
  mode?: 'third-party' | 'customized';
  /** The suite id (第三方应用 or 代开发应用模板的 SuiteID), from the provider console. */
  suiteId: string;
  /** The suite secret. Never logged or put in an error. */
  suiteSecret: string;
  /** Each corp's permanent code and auth info: your database (`MemoryPermanentCodeStore` for tests). */
  permanentCodeStore: PermanentCodeStore;
  /** The newest suite_ticket. Default: this process's memory (fed by the callback). Share it when several processes run. */
  suiteTicketStore?: SuiteTicketStore;
  /**
   * How long a pushed ticket is used, in seconds. Default: the lifetime the spec declares
   * (`x-scrm-tokens.suite.ticket.ttlSeconds`, documents 90628 and 90600); required when the spec declares none.
   */
  suiteTicketTtlSeconds?: number;
  /** The provider's own corp id (服务商 CorpID), to manage the provider token (`get_customized_auth_url`, `corpid_to_opencorpid`). */
  providerCorpId?: string;
  /** The provider secret (ProviderSecret), with `providerCorpId`. */
  providerSecret?: string;
  /**
   * Where `installUrl()` points. Default: the install page the spec declares (`x-scrm-tokens.suite.installPage.url`,
   * document 90597). The query parameters are the spec's either way.
   */
  installPageUrl?: string;
}

export interface WecomProvider {
  readonly suiteId: string;
  readonly mode: 'third-party' | 'customized';
  /** Suite-level calls (the suite token, and the provider token when configured, filled in): get_auth_info, get_admin_list, … */
  readonly client: WecomClient;
  /** The typed client of one authorizing corp: every 客户联系 call carries that corp's token. Cached per corp. */
  forCorp(authCorpId: string): WecomClient;
  /** Keeps a pushed `suite_ticket` (the callback router does this for you). `issuedAt` in epoch ms, default now. */
  saveSuiteTicket(ticket: string, issuedAt?: number): Promise<void>;
  /** A fresh install link (get_pre_auth_code, optionally set_session_info) for an admin to authorize the app. */
  installUrl(options: InstallUrlOptions): Promise<string>;
  /** Exchanges the one-time auth code (redirect or `create_auth`) for the permanent code, saved in the store. */
  completeAuthorization(authCode: string): Promise<WecomAuthorization>;
  /**
   * Re-reads a corp's authorization (`get_auth_info`, after `change_auth`: apps, scopes or the corp's name changed)
   * and saves it beside the permanent code, keeping what only the install told (the installing admin, `state`).
   * A corp with no stored code is a `ScrmAuthorizationError` (`not-authorized`).
   */
  refreshAuthorization(authCorpId: string): Promise<WecomAuthorization>;
  /** Forgets a corp (`cancel_auth`): its permanent code and its tokens are dropped. */
  cancelAuthorization(authCorpId: string): Promise<void>;
  /** Token requests this process made (suite and corp tokens), for tests and the bench. */
  tokenFetches(): { suite: number; corp: number };
}

/** The kinds this module wires, by their names in the spec's `x-scrm-tokens`. */
const KIND = { suite: 'suite', provider: 'provider', 'third-party': 'suite-corp', customized: 'customized-corp' } as const;

/** A token kind the WeCom spec declares (`x-scrm-tokens`); a build without it is a packaging error, said plainly. */
function declaredKind(kind: string): NonNullable<VendorProfile['tokens']>[string] {
  const spec = profile.tokens?.[kind];
  if (!spec) throw new ScrmConfigError(`wecom: the spec declares no token kind ${kind} (x-scrm-tokens)`, VENDOR);
  return spec;
}

/**
 * Creates a provider for one suite.
 *
 *     const provider = createWecomProvider({ suiteId, suiteSecret, permanentCodeStore: myDbStore, tokenStore: redisTokens });
 *     const corp = provider.forCorp('wwCORPID');
 *     const { data } = await corp.POST('/cgi-bin/externalcontact/list', ...);
 */
export function createWecomProvider(options: WecomProviderOptions): WecomProvider {
  const {
    mode = 'third-party',
    suiteId,
    suiteSecret,
    permanentCodeStore,
    suiteTicketStore = new MemorySuiteTicketStore(),
    suiteTicketTtlSeconds: ticketTtlOption,
    providerCorpId,
    providerSecret,
    installPageUrl,
    ...clientOptions
  } = options ?? ({} as WecomProviderOptions);
  for (const [name, value] of Object.entries({ suiteId, suiteSecret })) {
    if (typeof value !== 'string' || value.trim() === '')
      throw new ScrmConfigError(`wecom: option \`${name}\` is required and must be a non-empty string`, VENDOR);
  }
  if (mode !== 'third-party' && mode !== 'customized')
    throw new ScrmConfigError(`wecom: mode must be 'third-party' or 'customized'`, VENDOR);
  if (!permanentCodeStore || typeof permanentCodeStore.get !== 'function') {
    throw new ScrmConfigError('wecom: option `permanentCodeStore` is required (MemoryPermanentCodeStore for tests)', VENDOR);
  }
  if ((providerCorpId === undefined) !== (providerSecret === undefined)) {
    throw new ScrmConfigError('wecom: give both `providerCorpId` and `providerSecret`, or neither', VENDOR);
  }
  if (ticketTtlOption !== undefined && !(Number.isFinite(ticketTtlOption) && ticketTtlOption > 0)) {
    throw new ScrmConfigError('wecom: suiteTicketTtlSeconds must be a positive number', VENDOR);
  }
  const tokenStore = clientOptions.tokenStore ?? new MemoryTokenStore();
  const shared = { ...clientOptions, tokenStore };
  const corpKind = KIND[mode];
  const corpSpec = declaredKind(corpKind);
  const suiteSpec = declaredKind(KIND.suite);
  // The ticket's lifetime is the spec's unless the option says otherwise. A spec that declares none (no
  // x-scrm-tokens.suite.ticket) and no option: a ScrmConfigError here, at creation, rather than a guessed lifetime
  // that would send expired tickets or drop good ones.
  const suiteTicketTtlSeconds = ticketTtlOption ?? suiteSpec.ticket?.ttlSeconds;
  if (suiteTicketTtlSeconds === undefined) {
    throw new ScrmConfigError(
      'wecom: the spec declares no lifetime of the suite ticket (x-scrm-tokens.suite.ticket.ttlSeconds); give suiteTicketTtlSeconds',
      VENDOR,
    );
  }
  const managedKinds = providerCorpId !== undefined ? [KIND.suite, KIND.provider] : [KIND.suite];

  const suiteTicket = async (): Promise<string> => {
    const ticket = await suiteTicketStore.get(suiteId);
    const context = { vendor: VENDOR, operation: suiteSpec.operationId, method: suiteSpec.method, path: suiteSpec.path };
    if (!ticket) throw new ScrmTicketError('missing', suiteId, context);
    if (Date.now() >= ticket.expiresAt) throw new ScrmTicketError('expired', suiteId, context);
    return ticket.value;
  };

  // the suite-level client: its transport sends every token request (a corp token request carries the suite token)
  let kinds: Record<string, TokenSource> = {};
  let send: Parameters<NonNullable<Parameters<typeof createScrmClient>[3]>['credentials'] & object>[0]['send'] | undefined;
  let baseUrl = '';
  const client = createScrmClient<paths, WecomPaginated>(profile, {}, shared, {
    managedKinds,
    throttleScope: `suite:${suiteId}`,
    credentials: (transport) => {
      send = transport.send;
      baseUrl = transport.baseUrl;
      const common = {
        profile,
        app: suiteId,
        baseUrl: transport.baseUrl,
        send: transport.send,
        store: tokenStore,
        redactor: transport.redactor,
      };
      const tuning = {
        refreshMarginMs: clientOptions.tokenRefreshMarginMs,
        logger: clientOptions.logger,
        onEvent: clientOptions.onEvent,
      };
      kinds = {
        [KIND.suite]: createTokenSource({ ...common, ...tuning, kind: KIND.suite, values: { suiteId, suiteSecret, suiteTicket } }),
      };
      if (providerCorpId !== undefined && providerSecret !== undefined) {
        kinds[KIND.provider] = createTokenSource({
          ...common,
          ...tuning,
          app: providerCorpId,
          kind: KIND.provider,
          values: { providerCorpId, providerSecret },
        });
      }
      return routeCredentials(
        VENDOR,
        { kinds },
        transport.redactor,
        (kind, target) =>
          new ScrmConfigError(
            `wecom: ${target.meta?.id ?? target.path} carries ${kind === undefined ? "a corp's token: call it on provider.forCorp(authCorpId)" : `the ${kind} token, which this provider does not manage${kind === KIND.provider ? ' (give providerCorpId and providerSecret)' : ''}`}`,
            VENDOR,
          ),
      );
    },
  });

  const corps = new Map<string, { client: WecomClient; source: TokenSource }>();

  /** The corp token source of one corp (shared by every client of that corp in this process). */
  const corpSource = (authCorpId: string): TokenSource => {
    const cached = corps.get(authCorpId);
    if (cached) return cached.source;
    const context = { vendor: VENDOR, operation: corpSpec.operationId, method: corpSpec.method, path: corpSpec.path };
    return createTokenSource({
      profile,
      kind: corpKind,
      app: suiteId,
      tenant: authCorpId,
      baseUrl,
      send: send!,
      store: tokenStore,
      refreshMarginMs: clientOptions.tokenRefreshMarginMs,
      tokenTtlSeconds: clientOptions.tokenTtlSeconds,
      logger: clientOptions.logger,
      onEvent: clientOptions.onEvent,
      values: {
        authCorpId,
        permanentCode: async () => {
          const stored = await permanentCodeStore.get(suiteId, authCorpId);
          if (!stored || typeof stored.permanentCode !== 'string' || stored.permanentCode === '') {
            throw new ScrmAuthorizationError({ reason: 'not-authorized', appId: suiteId, tenantId: authCorpId }, context);
          }
          return stored.permanentCode;
        },
      },
      // WeCom refused the stored code (not a transient failure, not the suite token): the authorization is gone
      mapError: (error) =>
        error instanceof ScrmApiError && !error.retryable && !(suiteSpec.refreshOn as readonly number[]).includes(Number(error.code))
          ? new ScrmAuthorizationError(
              { reason: 'revoked', appId: suiteId, tenantId: authCorpId, code: error.code, vendorMessage: error.vendorMessage },
              context,
            )
          : error,
    });
  };

  const forCorp = (authCorpId: string): WecomClient => {
    if (typeof authCorpId !== 'string' || authCorpId.trim() === '') {
      throw new ScrmConfigError('wecom: forCorp() needs the authorizing corp id (auth_corpid)', VENDOR);
    }
    const cached = corps.get(authCorpId);
    if (cached) return cached.client;
    const source = corpSource(authCorpId);
    const corpClient = createScrmClient<paths, WecomPaginated>(profile, {}, shared, {
      managedKinds,
      throttleScope: `corp:${authCorpId}`,
      credentials: (transport) => routeCredentials(VENDOR, { fallback: source, kinds }, transport.redactor),
    });
    corps.set(authCorpId, { client: corpClient, source });
    return corpClient;
  };

  const authorization = authorizationFlow({
    suiteId,
    client,
    permanentCodeStore,
    installPage: suiteSpec.installPage,
    installPageUrl,
    dropCorpTokens: (corpId) => corpSource(corpId).drop(),
  });

  return {
    suiteId,
    mode,
    client,
    forCorp,
    completeAuthorization: authorization.completeAuthorization,
    async saveSuiteTicket(ticket, issuedAt = Date.now()) {
      if (typeof ticket !== 'string' || ticket === '') throw new ScrmConfigError('wecom: saveSuiteTicket() needs the ticket', VENDOR);
      // a TimeStamp ahead of this clock is not trusted further than now
      const from = Math.min(issuedAt, Date.now());
      await suiteTicketStore.set(suiteId, { value: ticket, expiresAt: from + suiteTicketTtlSeconds * 1000 });
    },
    installUrl: authorization.installUrl,
    refreshAuthorization: authorization.refreshAuthorization,
    async cancelAuthorization(authCorpId) {
      await permanentCodeStore.delete(suiteId, authCorpId);
      await corpSource(authCorpId).drop();
      corps.delete(authCorpId);
    },
    tokenFetches() {
      let corp = 0;
      for (const { source } of corps.values()) corp += source.fetchCount;
      return { suite: kinds[KIND.suite]?.fetchCount ?? 0, corp };
    },
  };
}
