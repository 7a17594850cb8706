/**
 * Static credentials from the vendor console, sent as they are (Juzibot `token`, or an `apiKey`). An operation
 * may name another credential (with a fallback when that one is not configured) and another place to send it.
 */
import { ScrmConfigError } from '../errors.js';
import type { StaticAuth } from '../profile.js';
import { requireOption } from './options.js';
import type { CredentialStrategy } from './source.js';

export const staticCredentials: CredentialStrategy<StaticAuth> = {
  type: 'static',
  create(auth, { vendor, credentials, redactor }) {
    // the default credential is needed up front; the others when an operation uses them, but never empty
    const defaultOption = auth.credentials[auth.default] ?? auth.default;
    for (const option of Object.values(auth.credentials)) {
      if (option === defaultOption || credentials[option] !== undefined) requireOption(credentials, option, vendor);
      redactor.addCredential(credentials[option]);
    }
    const configured = (use: string) => {
      const value = credentials[auth.credentials[use] ?? use];
      return typeof value === 'string' && value !== '';
    };
    return {
      refreshOn: auth.refreshOn ?? [],
      get: async (target) => {
        const wanted = target.meta?.credential?.use ?? auth.default;
        const fallback = target.meta?.credential?.fallback;
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
  },
};
