/**
 * The one interface every credential strategy implements. A strategy is a module exporting a
 * `CredentialStrategy` for one `auth.type` of the profile; `credentials/index.ts` maps the type to it.
 */
import type { Logger, ScrmEvent } from '../logger.js';
import type { AuthSpec, VendorProfile } from '../profile.js';
import type { Redactor } from '../redact.js';
import type { TokenStore } from '../token.js';
import type { Outcome } from '../transport/engine.js';
import type { CallTarget } from '../transport/target.js';

/** A credential for one attempt and where it goes. */
export interface Credential {
  value: string;
  in: 'query' | 'body';
  name: string;
  /** Result codes meaning "this credential is no longer valid", when they differ from the source's (another token kind). */
  refreshOn?: readonly number[];
}

/** Supplies credentials per attempt (a managed token, or static console credentials). */
export interface CredentialSource {
  /** The credential for this call, or undefined when it takes none. */
  get(target: CallTarget): Promise<Credential | undefined>;
  /** The vendor refused `value` with one of `refreshOn`: drop it so that the next `get()` fetches a fresh one. */
  invalidate(value: string, target?: CallTarget): Promise<void>;
  /** Result codes meaning "this credential is no longer valid" (empty for static credentials). */
  readonly refreshOn: readonly number[];
}

/** What a strategy gets to build its source from. */
export interface CredentialContext {
  readonly vendor: string;
  readonly profile: VendorProfile;
  /** The client options holding credentials (option name → value), as the user passed them. */
  readonly credentials: Readonly<Record<string, string | undefined>>;
  /** The vendor host after `baseUrl` (where a token endpoint is called). */
  readonly baseUrl: string;
  /** Every secret and token the strategy learns goes here, so that it is redacted wherever it appears. */
  readonly redactor: Redactor;
  /** Sends an unauthenticated request through the transport (retries, timeout, envelope check). */
  readonly send: (request: Request, target: CallTarget) => Promise<Outcome>;
  readonly tokenStore?: TokenStore | undefined;
  readonly tokenRefreshMarginMs?: number | undefined;
  readonly tokenTtlSeconds?: number | undefined;
  readonly logger?: Logger | undefined;
  readonly onEvent?: ((event: ScrmEvent) => void) | undefined;
}

/**
 * One way of authenticating, for one `auth.type`. `create` checks the configured options up front (throwing a
 * `ScrmConfigError` naming a missing one), registers the secrets with the redactor and returns the source.
 */
export interface CredentialStrategy<Auth extends AuthSpec> {
  readonly type: Auth['type'];
  create(auth: Auth, context: CredentialContext): CredentialSource;
}
