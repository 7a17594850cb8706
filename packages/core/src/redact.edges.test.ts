// The redactor's edges: the shortest secret it remembers (4 characters), exactly how many tokens it keeps, secrets
// that contain each other or regex characters, names in any case and place, and structured values of any shape.
import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact.js';

describe('value-based redaction', () => {
  it('writes [REDACTED] in place of a secret', () => {
    expect(REDACTED).toBe('[REDACTED]');
  });

  it('remembers secrets of 4 characters or more, and ignores shorter ones and non-strings', () => {
    const r = new Redactor([]);
    r.addCredential('abc');
    r.addToken('xyz');
    expect(r.text('abc xyz')).toBe('abc xyz');
    r.addCredential('wxyz');
    r.addToken('klmn');
    expect(r.text('wxyz klmn')).toBe(`${REDACTED} ${REDACTED}`);
    expect(() => {
      r.addToken(undefined);
      r.addToken(null);
      r.addCredential(undefined);
      r.addCredential(null);
    }).not.toThrow();
    expect(r.text('wxyz undefined null')).toBe(`${REDACTED} undefined null`);
  });

  it('keeps exactly the 64 most recent tokens', () => {
    const r = new Redactor([]);
    const token = (i: number) => `token-${String(i).padStart(3, '0')}`;
    for (let i = 0; i < 64; i++) r.addToken(token(i));
    expect(r.text(token(0))).toBe(REDACTED);
    r.addToken(token(64));
    expect(r.text(token(0))).toBe(token(0));
    expect(r.text(`${token(1)} ${token(64)}`)).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('redacts the longer of two secrets whole when one contains the other', () => {
    const r = new Redactor([]);
    r.addCredential('secret');
    r.addToken('secret-token-1');
    expect(r.text('a secret-token-1 b secret c')).toBe(`a ${REDACTED} b ${REDACTED} c`);
  });

  it('matches secrets literally, regex characters included', () => {
    const r = new Redactor([]);
    r.addCredential('p.s*(1)');
    expect(r.text('p.s*(1)')).toBe(REDACTED);
    expect(r.text('pXs(1) pss(1)')).toBe('pXs(1) pss(1)');
  });

  it('redacts every occurrence', () => {
    const r = new Redactor([]);
    r.addToken('tok-abcdef');
    expect(r.text('tok-abcdef,tok-abcdef')).toBe(`${REDACTED},${REDACTED}`);
  });

  it('picks up a secret remembered after text was already redacted', () => {
    const r = new Redactor([]);
    r.addCredential('first-secret');
    expect(r.text('first-secret second-secret')).toBe(`${REDACTED} second-secret`);
    r.addCredential('second-secret');
    expect(r.text('first-secret second-secret')).toBe(`${REDACTED} ${REDACTED}`);
    r.addToken('third-secret');
    expect(r.text('third-secret')).toBe(REDACTED);
  });
});

describe('name-based redaction', () => {
  const r = new Redactor(['access_token', 'Corpsecret']);

  it('redacts name=value in text, in any case, every time, up to the next separator', () => {
    expect(r.text('GET /x?ACCESS_TOKEN=abc&corpsecret=def&b=1')).toBe(`GET /x?ACCESS_TOKEN=${REDACTED}&corpsecret=${REDACTED}&b=1`);
    expect(r.text('access_token=abc; next')).toBe(`access_token=${REDACTED}; next`);
    expect(r.text('my_access_token=abc')).toBe('my_access_token=abc');
  });

  it('redacts "name": "value" in JSON-ish text, in any case, escaped quotes included', () => {
    expect(r.text('{"Access_Token": "a\\"b", "corpsecret":"c", "x": "d"}')).toBe(
      `{"Access_Token": "${REDACTED}", "corpsecret":"${REDACTED}", "x": "d"}`,
    );
  });

  it('leaves text alone when it knows no names and no secrets', () => {
    const none = new Redactor([]);
    for (const text of ['a?=b', '{"": "v"}', 'undefined', 'x=1&access_token=2']) expect(none.text(text)).toBe(text);
  });

  it('replaces a secret query parameter of a URL whole, whatever characters its value has', () => {
    expect(r.url('https://h.test/x?Access_Token=abc,def;ghi&a=1')).toBe(`https://h.test/x?Access_Token=${REDACTED}&a=1`);
    expect(r.url(new URL('https://h.test/x?corpsecret=s'))).toBe(`https://h.test/x?corpsecret=${REDACTED}`);
  });

  it('redacts something that is not a URL as text', () => {
    expect(r.url('/relative?access_token=abc&a=1')).toBe(`/relative?access_token=${REDACTED}&a=1`);
  });
});

describe('structured values', () => {
  const r = new Redactor(['access_token']);
  r.addToken('tok-123456');

  it('passes other primitives through', () => {
    expect(r.value(null)).toBeNull();
    expect(r.value(undefined)).toBeUndefined();
    expect(r.value(42)).toBe(42);
    expect(r.value(true)).toBe(true);
  });

  it('keeps an error as its name and redacted message', () => {
    expect(r.value(new TypeError('bad tok-123456'))).toEqual({ name: 'TypeError', message: `bad ${REDACTED}` });
    expect(r.value({ cause: new Error('tok-123456') })).toEqual({ cause: { name: 'Error', message: REDACTED } });
  });

  it('copies 7 levels of nesting and stops below, so a cycle ends too', () => {
    const nest = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { a: nest(levels - 1, leaf) });
    expect(r.value(nest(7, 'tok-123456'))).toEqual(nest(7, REDACTED));
    expect(r.value(nest(8, 'x'))).toEqual(nest(7, '[Object]'));
    expect(r.value([[[[[[['x']]]]]]])).toEqual([[[[[[['x']]]]]]]);
    expect(r.value([[[[[[[['x']]]]]]]])).toEqual([[[[[[['[Object]']]]]]]]);
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    expect(JSON.stringify(r.value(cycle))).toContain('[Object]');
  });
});
