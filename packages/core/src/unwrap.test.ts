// unwrap() beyond the happy path: the typed error found on envelopes made by another copy of core, envelopes it
// could not be attached to (frozen), and the parse error it throws when it finds none.
import { describe, expect, it } from 'vitest';
import { ScrmApiError, ScrmParseError } from './errors.js';
import { attachApiError, unwrap } from './unwrap.js';

const apiError = () =>
  new ScrmApiError(
    { code: 60011, vendorMessage: 'no privilege', action: 'fail', httpStatus: 200 },
    { vendor: 'acme', operation: 'listItems' },
  );
const thrownBy = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};
const response = () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });

describe('unwrap()', () => {
  it('throws the error attached to the envelope, which stays invisible on it', () => {
    const envelope = { code: 60011, msg: 'no privilege' };
    const error = apiError();
    attachApiError(envelope, error);
    expect(thrownBy(() => unwrap({ error: envelope, response: response() }))).toBe(error);
    expect(Object.keys(envelope)).toEqual(['code', 'msg']);
    expect({ ...envelope }).toEqual({ code: 60011, msg: 'no privilege' });
    // attaching again (the same envelope handed back twice) replaces it
    const second = apiError();
    attachApiError(envelope, second);
    expect(thrownBy(() => unwrap({ error: envelope, response: response() }))).toBe(second);
  });

  it('finds an error attached by another copy of core (same registered symbol, another class)', () => {
    const foreign = Object.assign(new Error('from the other copy'), { name: 'ScrmApiError', code: 1 });
    const envelope = { code: 1 };
    Object.defineProperty(envelope, Symbol.for('@scrm-openapi/core:api-error'), { value: foreign });
    expect(thrownBy(() => unwrap({ error: envelope, response: response() }))).toBe(foreign);
  });

  it('ignores anything else under that symbol, and throws a parse error from the response instead', () => {
    for (const odd of [new Error('some other error'), { name: 'ScrmApiError' }, 'ScrmApiError']) {
      const envelope = { code: 1 };
      Object.defineProperty(envelope, Symbol.for('@scrm-openapi/core:api-error'), { value: odd });
      const thrown = thrownBy(() =>
        unwrap({ error: envelope, response: new Response('', { status: 418, headers: { 'content-type': 'text/plain' } }) }),
      );
      expect(thrown).toBeInstanceOf(ScrmParseError);
      expect(thrown).toMatchObject({ status: 418, contentType: 'text/plain', kind: 'envelope', retryable: false, vendor: 'unknown' });
    }
  });

  it('leaves a frozen envelope or a non-object alone, and then throws a parse error', () => {
    const frozen = Object.freeze({ code: 60011 });
    expect(() => attachApiError(frozen, apiError())).not.toThrow();
    expect(thrownBy(() => unwrap({ error: frozen, response: response() }))).toBeInstanceOf(ScrmParseError);
    for (const error of ['text', 42, null]) {
      expect(() => attachApiError(error, apiError())).not.toThrow();
      const thrown = thrownBy(() => unwrap({ error, response: new Response('') }));
      expect(thrown).toBeInstanceOf(ScrmParseError);
      expect((thrown as ScrmParseError).contentType).toBe('text/plain;charset=UTF-8');
    }
    expect((thrownBy(() => unwrap({ error: {}, response: new Response(null) })) as ScrmParseError).contentType).toBeUndefined();
  });

  it("takes the call's promise too: resolves with the data, rejects with the typed error or the call's own failure", async () => {
    const envelope = { code: 60011, msg: 'no privilege' };
    const error = apiError();
    attachApiError(envelope, error);
    await expect(unwrap(Promise.resolve({ data: { a: 1 }, response: response() }))).resolves.toEqual({ a: 1 });
    await expect(unwrap(Promise.resolve({ error: envelope, response: response() }))).rejects.toBe(error);
    const failure = new Error('network down');
    await expect(unwrap(Promise.reject(failure))).rejects.toBe(failure);
    // a thenable that is not a Promise (another promise library) works the same
    // biome-ignore lint/suspicious/noThenProperty: a thenable is exactly what is tested
    const thenable = { then: (resolve: (r: { data: number; response: Response }) => void) => resolve({ data: 7, response: response() }) };
    await expect(unwrap(thenable as unknown as PromiseLike<{ data: number; response: Response }>)).resolves.toBe(7);
    // the sync form stays sync
    expect(unwrap({ data: 'x', response: response() })).toBe('x');
  });

  it('returns the data, whatever it is, when there is no error', () => {
    expect(unwrap({ data: { a: 1 }, response: response() })).toEqual({ a: 1 });
    expect(unwrap({ data: 0, error: undefined, response: response() })).toBe(0);
  });
});
