// Type tests of the Weiling client: unwrap() gives the 200 schema of an operation (for the result and for its promise),
// isWeilingError() narrows an error's code to the weiling catalog, and request() is untyped.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { WeilingApiError, WeilingErrorCode, WeilingKnownErrorCode, paths } from './index.js';
import { createWeilingClient, isWeilingError, ScrmApiError, unwrap } from './index.js';

type Success = paths['/openapi/user/get']['get']['responses'][200]['content']['application/json'];
const api = createWeilingClient({ appId: 'app-1', appSecret: 'secret-1' });
const call = () => api.GET('/openapi/user/get', { params: { query: { userid: 'u1' } } });

describe('weiling types', () => {
  it('unwrap() gives the 200 schema, for the awaited result and for the promise', () => {
    const viaPromise = () => unwrap(call());
    const viaResult = async () => unwrap(await call());
    // branded: the same type, compared property by property (the schema is an allOf intersection, the data its flattening)
    expectTypeOf(viaPromise).returns.resolves.branded.toEqualTypeOf<Success>();
    expectTypeOf(viaResult).returns.resolves.branded.toEqualTypeOf<Success>();
    expectTypeOf(viaPromise).returns.resolves.not.toBeNullable();
    // the call has an error branch (the envelope, code ≠ 0), which the equality above leaves out
    type Envelope = NonNullable<Awaited<ReturnType<typeof call>>['error']>;
    expectTypeOf<Envelope>().not.toBeNever();
  });

  it('isWeilingError() narrows the code to the weiling catalog, still open to other numbers', () => {
    const e: unknown = new ScrmApiError({ code: 1001, vendorMessage: 'm', action: 'fail', httpStatus: 200 }, { vendor: 'weiling' });
    expect(isWeilingError(e)).toBe(true);
    if (!isWeilingError(e)) return;
    expectTypeOf(e).toEqualTypeOf<WeilingApiError>();
    expectTypeOf(e.code).toEqualTypeOf<WeilingErrorCode>();
    expectTypeOf<1001>().toMatchTypeOf<WeilingKnownErrorCode>();
    expect(e.code === 1001).toBe(true);
    expect(e.code === 123456).toBe(false);
    // @ts-expect-error a string never equals a weiling code (all numbers)
    expect(e.code === '1001').toBe(false);
    // @ts-expect-error narrowed to weiling
    expect(e.vendor === 'wecom').toBe(false);
    expect(isWeilingError(new ScrmApiError({ code: 1001, vendorMessage: 'm', action: 'fail', httpStatus: 200 }, { vendor: 'other' }))).toBe(
      false,
    );
  });

  it('request(), the escape hatch, types data as unknown', () => {
    const untyped = () => api.request('POST', '/some/new/api', { body: { any: 1 } });
    expectTypeOf<Awaited<ReturnType<typeof untyped>>['data']>().toBeUnknown();
    expectTypeOf(() => unwrap(untyped())).returns.toEqualTypeOf<Promise<unknown>>();
  });
});
