// Type tests of the Juzibot client: unwrap() gives the 200 schema of an operation (for the result and for its promise),
// isJuzibotError() narrows an error's code to the juzibot catalog, and request() is untyped.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { JuzibotApiError, JuzibotErrorCode, JuzibotKnownErrorCode, paths } from './index.js';
import { createJuzibotClient, isJuzibotError, ScrmApiError, unwrap } from './index.js';

type Success = paths['/api/v1/contactWay/get']['get']['responses'][200]['content']['application/json'];
const api = createJuzibotClient({ token: 'T-0001' });
const call = () => api.GET('/api/v1/contactWay/get', { params: { query: { config_id: 'c1' } } });

describe('juzibot types', () => {
  it('unwrap() gives the 200 schema, for the awaited result and for the promise', () => {
    const viaPromise = () => unwrap(call());
    const viaResult = async () => unwrap(await call());
    // branded: the same type, compared property by property (the schema is an allOf intersection, the data its flattening)
    expectTypeOf(viaPromise).returns.resolves.branded.toEqualTypeOf<Success>();
    expectTypeOf(viaResult).returns.resolves.branded.toEqualTypeOf<Success>();
    expectTypeOf(viaPromise).returns.resolves.not.toBeNullable();
    // the call has an error branch (the envelope, errcode ≠ 0), which the equality above leaves out
    type Envelope = NonNullable<Awaited<ReturnType<typeof call>>['error']>;
    expectTypeOf<Envelope>().not.toBeNever();
  });

  it('isJuzibotError() narrows the code to the juzibot catalog, still open to other numbers', () => {
    const e: unknown = new ScrmApiError({ code: -2, vendorMessage: 'm', action: 'fail', httpStatus: 200 }, { vendor: 'juzibot' });
    expect(isJuzibotError(e)).toBe(true);
    if (!isJuzibotError(e)) return;
    expectTypeOf(e).toEqualTypeOf<JuzibotApiError>();
    expectTypeOf(e.code).toEqualTypeOf<JuzibotErrorCode>();
    expectTypeOf<-2>().toMatchTypeOf<JuzibotKnownErrorCode>();
    expect(e.code === -2).toBe(true);
    expect(e.code === 123456).toBe(false);
    // @ts-expect-error a string never equals a juzibot code (all numbers)
    expect(e.code === '-2').toBe(false);
    // @ts-expect-error narrowed to juzibot
    expect(e.vendor === 'wecom').toBe(false);
    expect(isJuzibotError(new ScrmApiError({ code: -2, vendorMessage: 'm', action: 'fail', httpStatus: 200 }, { vendor: 'other' }))).toBe(
      false,
    );
  });

  it('request(), the escape hatch, types data as unknown', () => {
    const untyped = () => api.request('POST', '/some/new/api', { body: { any: 1 } });
    expectTypeOf<Awaited<ReturnType<typeof untyped>>['data']>().toBeUnknown();
    expectTypeOf(() => unwrap(untyped())).returns.toEqualTypeOf<Promise<unknown>>();
  });
});
