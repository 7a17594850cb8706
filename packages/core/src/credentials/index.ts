/**
 * The credential strategies by `auth.type`. Adding one: a module exporting a `CredentialStrategy`, its auth
 * shape in `profile.ts`'s `AuthSpec`, and one line here.
 */
import type { AuthSpec } from '../profile.js';
import type { CredentialContext, CredentialSource, CredentialStrategy } from './source.js';
import { staticCredentials } from './static.js';
import { tokenEndpoint } from './token-endpoint.js';

const STRATEGIES: { readonly [T in AuthSpec['type']]: CredentialStrategy<Extract<AuthSpec, { type: T }>> } = {
  'token-endpoint': tokenEndpoint,
  static: staticCredentials,
};

export function createCredentialSource(auth: AuthSpec, context: CredentialContext): CredentialSource {
  const strategy = STRATEGIES[auth.type] as CredentialStrategy<AuthSpec>;
  return strategy.create(auth, context);
}
