// Query and path parameters arrive as text: they are read as their declared type only when the text is that type's
// canonical literal, as the vendors read them; anything else stays text and fails the declared type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './server.js';
import { loadSpec } from './spec.js';
import { parameterReader, readParameter } from './validation.js';

describe('readParameter', () => {
  it('reads canonical integer, number and boolean literals as their type', () => {
    expect(readParameter('12', ['integer'])).toBe(12);
    expect(readParameter('-3', ['integer'])).toBe(-3);
    expect(readParameter('1.5', ['number'])).toBe(1.5);
    expect(readParameter('true', ['boolean'])).toBe(true);
    expect(readParameter('false', ['boolean'])).toBe(false);
  });

  it('leaves any other text as text (which then fails the declared type)', () => {
    for (const text of ['', ' 1', '01', '1.0', '0x10', '1e3', 'abc', 'NaN']) expect(readParameter(text, ['integer'])).toBe(text);
    for (const text of ['1', '0', 'TRUE', 'yes', '']) expect(readParameter(text, ['boolean'])).toBe(text);
    expect(readParameter('12', ['string'])).toBe('12');
    expect(readParameter('12', ['string', 'integer'])).toBe('12');
  });

  it('a parameter given twice is read as its first value unless declared an array; undeclared ones are left alone', () => {
    const read = parameterReader([
      { name: 'n', schema: { type: 'integer' } },
      { name: 'ids', schema: { type: 'array', items: { type: 'string' } } },
    ]);
    expect(read({ n: ['2', '3'], ids: ['a', 'b'], other: ['x', 'y'] })).toEqual({ n: 2, ids: ['a', 'b'], other: ['x', 'y'] });
  });
});

describe('the sandbox reads query parameters as the vendor does', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ vendors: ['juzibot'] });
  });
  afterAll(() => server?.close());

  it('an integer query parameter: "10" is read as 10, "10.0" and "ten" get the parameter error naming it', async () => {
    const answer = loadSpec('juzibot')['x-scrm-sandbox'].parameterError;
    const get = async (pageSize: string) =>
      (
        await fetch(`${server.url}/juzibot/api/v1/customer/list?token=${server.credentials.juzibot.token}&current=1&pageSize=${pageSize}`)
      ).json();
    expect((await get('10')).errcode).toBe(0);
    for (const bad of ['10.0', 'ten']) {
      const body = await get(bad);
      expect(body.errcode).toBe(answer);
      expect(body.errmsg).toContain('query.pageSize');
      expect(body.errmsg).not.toContain(bad);
    }
  });
});
