// Type tests of the Jijyun client: unwrap() gives the 200 schema of an operation (for the result and for its promise),
// isJijyunError() narrows an error's code to the jijyun catalog, and request() is untyped.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { JijyunApiError, JijyunErrorCode, JijyunKnownErrorCode, paths } from './index.js';
import { createJijyunClient, isJijyunError, ScrmApiError, unwrap } from './index.js';

type Success = paths['/v1/openapi/check']['get']['responses'][200]['content']['application/json'];
const api = createJijyunClient({ apiKey: 'key-0001' });
const call = () => api.GET('/v1/openapi/check');

describe('jijyun types', () => {
  it('unwrap() gives the 200 schema, for the awaited result and for the promise', () => {
    const viaPromise = () => unwrap(call());
    const viaResult = async () => unwrap(await call());
    // branded: the same type, compared property by property (the schema is an allOf intersection, the data its flattening)
    expectTypeOf(viaPromise).returns.resolves.branded.toEqualTypeOf<Success>();
    expectTypeOf(viaResult).returns.resolves.branded.toEqualTypeOf<Success>();
    expectTypeOf(viaPromise).returns.resolves.not.toBeNullable();
    // the call has an error branch (the envelope, Code neither 2000 nor 0), which the equality above leaves out
    type Envelope = NonNullable<Awaited<ReturnType<typeof call>>['error']>;
    expectTypeOf<Envelope>().not.toBeNever();
  });

  it('isJijyunError() narrows the code to the jijyun catalog, still open to other numbers', () => {
    const e: unknown = new ScrmApiError({ code: 4000, vendorMessage: 'm', action: 'fail', httpStatus: 200 }, { vendor: 'jijyun' });
    expect(isJijyunError(e)).toBe(true);
    if (!isJijyunError(e)) return;
    expectTypeOf(e).toEqualTypeOf<JijyunApiError>();
    expectTypeOf(e.code).toEqualTypeOf<JijyunErrorCode>();
    expectTypeOf<4000>().toMatchTypeOf<JijyunKnownErrorCode>();
    expect(e.code === 4000).toBe(true);
    expect(e.code === 123456).toBe(false);
    // @ts-expect-error a string never equals a jijyun code (all numbers)
    expect(e.code === '4000').toBe(false);
    // @ts-expect-error narrowed to jijyun
    expect(e.vendor === 'wecom').toBe(false);
    expect(isJijyunError(new ScrmApiError({ code: 4000, vendorMessage: 'm', action: 'fail', httpStatus: 200 }, { vendor: 'other' }))).toBe(
      false,
    );
  });

  it('request(), the escape hatch, types data as unknown', () => {
    const untyped = () => api.request('POST', '/some/new/api', { body: { any: 1 } });
    expectTypeOf<Awaited<ReturnType<typeof untyped>>['data']>().toBeUnknown();
    expectTypeOf(() => unwrap(untyped())).returns.toEqualTypeOf<Promise<unknown>>();
  });
});
