// apiErrorGuard(): the factory behind each vendor package's isWecomError() & co. It narrows an unknown error to a
// ScrmApiError of one vendor whose code is typed by that vendor's catalog, and never says yes when that type
// would be a lie (another vendor, another error class, a code of another JavaScript type).
import { describe, expect, expectTypeOf, it } from 'vitest';
import { apiErrorGuard, ScrmApiError, type ScrmApiErrorOf, ScrmHttpError } from './errors.js';

type AcmeCode = 40014 | 42001 | 60011 | (number & {});
type AcmeApiError = ScrmApiErrorOf<AcmeCode, 'acme'>;
const isAcmeError = apiErrorGuard<AcmeApiError>('acme', ['number']);

const apiError = (vendor: string, code: number | string) =>
  new ScrmApiError({ code, vendorMessage: 'm', action: 'fail', httpStatus: 200 }, { vendor, operation: 'op' });

describe('apiErrorGuard()', () => {
  it("says yes to the vendor's own API errors, whatever their code number", () => {
    expect(isAcmeError(apiError('acme', 42001))).toBe(true);
    expect(isAcmeError(apiError('acme', 99999))).toBe(true);
  });

  it('says no to another vendor, another error class, a code of another type and anything else', () => {
    expect(isAcmeError(apiError('wecom', 42001))).toBe(false);
    expect(isAcmeError(apiError('acme', 'E42001'))).toBe(false);
    expect(isAcmeError(new ScrmHttpError({ status: 500, statusText: '', bodySnippet: '', retryable: true }, { vendor: 'acme' }))).toBe(
      false,
    );
    for (const other of [undefined, null, 42001, { name: 'ScrmApiError', vendor: 'acme', code: 1 }, new Error('x')]) {
      expect(isAcmeError(other)).toBe(false);
    }
  });

  it('accepts an API error made by another copy of core (same name, another class)', () => {
    const foreign = Object.assign(new Error('from the other copy'), { name: 'ScrmApiError', vendor: 'acme', code: 42001 });
    expect(isAcmeError(foreign)).toBe(true);
  });

  it('lets a vendor with string codes accept them', () => {
    const isMixed = apiErrorGuard<ScrmApiErrorOf<'E1' | 7 | (string & {}) | (number & {}), 'mixed'>>('mixed', ['number', 'string']);
    expect(isMixed(apiError('mixed', 'E1'))).toBe(true);
    expect(isMixed(apiError('mixed', 7))).toBe(true);
  });

  it("narrows code to the vendor's codes: a known code compiles, a string or a wrong vendor does not", () => {
    const e: unknown = apiError('acme', 42001);
    if (!isAcmeError(e)) throw new Error('not narrowed');
    expectTypeOf(e).toMatchTypeOf<ScrmApiError>();
    expectTypeOf(e.code).toEqualTypeOf<AcmeCode>();
    expectTypeOf(e.vendor).toEqualTypeOf<'acme'>();
    expect(e.code === 42001).toBe(true);
    expect(e.code === 12345).toBe(false);
    // @ts-expect-error a string never equals a numeric code
    expect(e.code === '42001').toBe(false);
    // @ts-expect-error nor is the vendor anything but acme
    expect(e.vendor === 'wecom').toBe(false);
    // @ts-expect-error the guard is made for its own vendor's name
    apiErrorGuard<AcmeApiError>('wecom', ['number']);
  });
});
