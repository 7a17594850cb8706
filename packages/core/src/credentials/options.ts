import { ScrmConfigError } from '../errors.js';

/** Throws a `ScrmConfigError` naming `option` unless it holds a non-empty string. */
export function requireOption(credentials: Readonly<Record<string, string | undefined>>, option: string, vendor: string): string {
  const value = credentials[option];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ScrmConfigError(`${vendor}: option \`${option}\` is required and must be a non-empty string`, vendor);
  }
  return value;
}
