// The ES module build (dist/) and the CommonJS build (dist/cjs/) of core can both load in one process — an ES module
// app importing a client while a CommonJS library requires another — and each has its own error classes.
// `instanceof` and `isScrmError` must still recognise an error made by the other copy. Two fresh imports of
// errors.ts stand in for the two builds here; scripts/smoke-packed.mjs checks the real pair from the packed tarball.
import { describe, expect, expectTypeOf, it, vi } from 'vitest';

type Errors = typeof import('./errors.js');

async function freshCopy(): Promise<Errors> {
  vi.resetModules();
  return import('./errors.js');
}

const apiError = (copy: Errors) =>
  new copy.ScrmApiError(
    { code: 60011, vendorMessage: 'no privilege', action: 'fail', httpStatus: 200 },
    { vendor: 'wecom', operation: 'addContactWay' },
  );

describe('errors made by another copy of core (its ESM and CommonJS builds loaded together)', () => {
  it('are two different sets of classes, as the two builds are', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    expect(a.ScrmApiError).not.toBe(b.ScrmApiError);
  });

  it('are instanceof the same class and its ancestors of this copy, in both directions', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    for (const [mine, theirs] of [
      [a, b],
      [b, a],
    ] as const) {
      const error = apiError(theirs);
      expect(error instanceof mine.ScrmApiError).toBe(true);
      expect(error instanceof mine.ScrmError).toBe(true);
      expect(error instanceof Error).toBe(true);
      expect(mine.isScrmError(error)).toBe(true);
    }
  });

  it('are not instanceof a sibling class of this copy', async () => {
    const a = await freshCopy();
    const b = await freshCopy();
    const error = apiError(b);
    expect(error instanceof a.ScrmHttpError).toBe(false);
    expect(error instanceof a.ScrmTimeoutError).toBe(false);
    const timeout = new b.ScrmTimeoutError(1000, { vendor: 'wecom' }, false);
    expect(timeout instanceof a.ScrmApiError).toBe(false);
    expect(timeout instanceof a.ScrmTimeoutError).toBe(true);
  });

  it('leaves errors that are not from core alone', async () => {
    const a = await freshCopy();
    for (const value of [new Error('x'), Object.assign(new Error('x'), { name: 'ScrmApiError' }), null, 'ScrmApiError', {}])
      expect(value instanceof a.ScrmApiError || a.isScrmError(value)).toBe(false);
  });

  it('still narrows the type after instanceof', async () => {
    const a = await freshCopy();
    const error: unknown = apiError(a);
    if (error instanceof a.ScrmApiError) expectTypeOf(error.code).toEqualTypeOf<number | string>();
    else expect.unreachable();
  });
});
