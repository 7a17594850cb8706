/**
 * Stores for apps that serve many tenants (WeCom 服务商 / 代开发 apps serving many corps): the ticket the vendor pushes
 * to the app, and each tenant's authorization. Interfaces only: the vendor packages ship in-memory stores for tests,
 * `@scrm-openapi/redis` shares them across processes, and an application may keep authorizations in its own database.
 */

/** A ticket the vendor pushed (WeCom's `suite_ticket`) and until when it may be used. */
export interface StoredTicket {
  readonly value: string;
  /** Epoch milliseconds after which the ticket is no longer accepted by the vendor. */
  readonly expiresAt: number;
}

/** Where the newest pushed ticket of each app is kept, for every process that fetches the app's token. */
export interface TicketStore {
  get(appId: string): Promise<StoredTicket | undefined>;
  set(appId: string, ticket: StoredTicket): Promise<void>;
}

/** One tenant's authorization of an app (WeCom: a corp's permanent code, 永久授权码, and what came with it). */
export interface StoredAuthorization {
  /** The permanent code: a secret, as sensitive as an app secret. */
  readonly permanentCode: string;
  /** The tenant's display name, when the vendor sent one (WeCom `auth_corp_info.corp_name`). */
  readonly name?: string | undefined;
  /** What the vendor answered besides the code (auth info, the installing admin, `state`), without any secret. */
  readonly info?: Readonly<Record<string, unknown>> | undefined;
  /** Epoch milliseconds when it was saved. */
  readonly savedAt: number;
}

/** Where each tenant's authorization is kept: usually the application's own database. */
export interface AuthorizationStore {
  get(appId: string, tenantId: string): Promise<StoredAuthorization | undefined>;
  set(appId: string, tenantId: string, authorization: StoredAuthorization): Promise<void>;
  delete(appId: string, tenantId: string): Promise<void>;
}
