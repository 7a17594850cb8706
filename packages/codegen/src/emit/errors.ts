// errors.ts: the error-code union type and the full catalog (names, meanings, actions).
import type { Spec } from '../spec.js';
import { header, literal, pascal, q, type EmitContext } from './format.js';

export function emitErrors(spec: Spec, ctx: EmitContext): string {
  const { vendor } = ctx;
  const Name = pascal(vendor);
  const errors = [...spec['x-scrm-errors']].sort((a, b) => Number(a.code) - Number(b.code));
  const codes = errors.map((e) => (typeof e.code === 'number' ? String(e.code) : q(e.code)));
  const catalog = Object.fromEntries(
    errors.map((e) => [String(e.code), { name: e.name, meaning: e.meaning, action: e.action, category: e.category, hint: e.hint }]),
  );
  return `${header(ctx)}import type { ErrorAction } from '@scrm-openapi/core';

/** Every result code the ${vendor} spec documents; any other number is still accepted. */
export type ${Name}KnownErrorCode =
${codes.map((c) => `  | ${c}`).join('\n')};

/** A ${vendor} result code: one of the documented codes, or any other number the vendor may add. */
export type ${Name}ErrorCode = ${Name}KnownErrorCode | (number & {});

export interface ${Name}ErrorInfo {
  /** The vendor's own title. */
  readonly name: string;
  /** What it means. */
  readonly meaning: string;
  /** What the client does: refresh-token, retry, throttle or fail. */
  readonly action: ErrorAction;
  readonly category?: string;
  /** What the caller should do. */
  readonly hint?: string;
}

/** The full error-code catalog (x-scrm-errors), keyed by code. */
export const ${vendor}Errors: Readonly<Record<string, ${Name}ErrorInfo>> = ${literal(catalog)};
`;
}
