// errors.ts: the error-code union type and the full catalog (names, meanings, actions).
import type { Spec } from '../spec.js';
import { header, literal, pascal, q, type EmitContext } from './format.js';

/**
 * A code as the runtime hands it over: it turns numeric strings into numbers (`'1001'` → 1001), so a catalog code
 * written as a numeric string is typed as that number, and only other strings stay strings.
 */
function runtimeCode(code: number | string): number | string {
  return typeof code === 'string' && /^-?\d+$/.test(code.trim()) ? Number(code.trim()) : code;
}

export function emitErrors(spec: Spec, ctx: EmitContext): string {
  const { vendor } = ctx;
  const Name = pascal(vendor);
  const errors = [...spec['x-scrm-errors']].sort((a, b) => Number(a.code) - Number(b.code));
  const seen = new Set<number | string>();
  const known = errors.map((e) => runtimeCode(e.code)).filter((c) => !seen.has(c) && seen.add(c));
  const numbers = known.filter((c): c is number => typeof c === 'number').sort((a, b) => a - b);
  const strings = known.filter((c): c is string => typeof c === 'string').sort();
  const codes = [...numbers.map(String), ...strings.map(q)];
  // the open end: any number (numeric codes are normalized to numbers), any string too when the catalog has some
  const kinds = strings.length > 0 ? ['number', 'string'] : ['number'];
  const open = kinds.map((k) => `(${k} & {})`).join(' | ');
  const catalog = Object.fromEntries(
    errors.map((e) => [String(e.code), { name: e.name, meaning: e.meaning, action: e.action, category: e.category, hint: e.hint }]),
  );
  return `${header(ctx)}import type { ErrorAction, ScrmApiErrorOf } from '@scrm-openapi/core';
import { apiErrorGuard } from '@scrm-openapi/core/internal';

/** Every result code the ${vendor} spec documents; any other ${kinds.join(' or ')} is still accepted. */
export type ${Name}KnownErrorCode =
${codes.map((c) => `  | ${c}`).join('\n')};

/** A ${vendor} result code: one of the documented codes, or any other ${kinds.join(' or ')} the vendor may add. */
export type ${Name}ErrorCode = ${Name}KnownErrorCode | ${open};

/** A \`ScrmApiError\` from ${vendor}: its \`code\` is a ${vendor} result code (narrow to it with \`is${Name}Error()\`). */
export type ${Name}ApiError = ScrmApiErrorOf<${Name}ErrorCode, ${q(vendor)}>;

/**
 * True when \`error\` is a \`ScrmApiError\` from ${vendor} (a code in the response body), narrowing its \`code\` to
 * \`${Name}ErrorCode\`, so \`error.code === <a documented code>\` is checked by the compiler. False for other errors,
 * other vendors, and a code of a type the catalog never uses (${kinds.join(' or ')} expected).
 */
export const is${Name}Error: (error: unknown) => error is ${Name}ApiError = apiErrorGuard<${Name}ApiError>(${q(vendor)}, [${kinds.map(q).join(', ')}]);

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
