// classifyAnswer / classifyFailure at their edges: the status range, what counts as HTML, each kind of unparseable
// body, codes given as text, where a request id is found, how long a snippet is, and what is kept of a failure.
import { describe, expect, it } from 'vitest';
import { type ScrmApiError, ScrmErrorCause, ScrmHttpError, type ScrmNetworkError, ScrmParseError } from '../errors.js';
import { Redactor } from '../redact.js';
import { acmeProfile } from '../test-support.js';
import { classifyAnswer, classifyFailure, type Answer, type ClassifyInput, type Decision } from './classify.js';

const SECRET = 'acme-SECRET-value-do-not-leak-0001';
const redactor = new Redactor(acmeProfile.secretParams);
redactor.addCredential(SECRET);
const input = (extra: Partial<ClassifyInput> = {}): ClassifyInput => ({
  profile: acmeProfile,
  idempotent: true,
  refreshOn: [40014, 42001],
  redactor,
  context: { vendor: 'acme', operation: 'listItems', method: 'GET', path: '/v1/items', attempts: 1 },
  ...extra,
});
const answer = (
  text: string,
  status = 200,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  statusText = '',
): Answer => ({
  status,
  statusText,
  headers: new Headers(headers),
  text,
});
const json = (body: unknown, headers?: Record<string, string>) => answer(JSON.stringify(body), 200, headers);
const errorOf = (d: Decision) => (d.kind === 'success' ? undefined : d.error);

describe('the HTTP status', () => {
  it('reads the body of every 2xx answer, and of no other', () => {
    for (const status of [200, 204, 299])
      expect(classifyAnswer(answer('{"code":0}', status), input()).kind, String(status)).toBe('success');
    for (const status of [199, 300, 304, 404]) {
      const d = classifyAnswer(answer('{"code":0}', status, {}, 'Nope'), input());
      expect(d.kind, String(status)).toBe('throw');
      expect(errorOf(d)).toBeInstanceOf(ScrmHttpError);
      expect(errorOf(d)).toMatchObject({
        status,
        statusText: 'Nope',
        bodySnippet: '{"code":0}',
        retryable: false,
        action: 'fail',
        retryAfterMs: undefined,
      });
    }
  });

  it('retries a documented throttle status only on an idempotent call, and says so on the error', () => {
    const profile = { ...acmeProfile, httpErrors: { '418': { name: 'SLOW_DOWN', action: 'throttle' as const } } };
    expect(classifyAnswer(answer('', 418), input({ profile }))).toMatchObject({
      kind: 'retry',
      reason: 'HTTP 418',
      throttle: true,
      error: { retryable: true, vendorName: 'SLOW_DOWN' },
    });
    const write = classifyAnswer(answer('', 418), input({ profile, idempotent: false }));
    expect(write).toMatchObject({ kind: 'throw', error: { retryable: false, action: 'throttle', vendorName: 'SLOW_DOWN' } });
    // undocumented statuses take the default action of their class
    expect(classifyAnswer(answer('', 502), input({ profile }))).toMatchObject({
      kind: 'retry',
      throttle: false,
      error: { vendorName: undefined, action: 'retry' },
    });
  });
});

describe('bodies that are not an envelope', () => {
  it('takes any text/html answer, or any text starting with a tag, for an HTML page', () => {
    for (const [text, type] of [
      ['{"code":0}', 'TEXT/HTML; charset=utf-8'],
      ['  \n<!doctype html><p>hi</p>', 'application/json'],
      ['<p>', ''],
    ] as const) {
      const d = classifyAnswer(answer(text, 200, type ? { 'content-type': type } : {}), input({ idempotent: false }));
      expect(errorOf(d), text).toBeInstanceOf(ScrmParseError);
      expect(errorOf(d)).toMatchObject({ kind: 'html', status: 200, retryable: false, contentType: type || undefined });
    }
  });

  it('reads a JSON envelope that holds a tag in a message as JSON, not as an HTML page', () => {
    expect(classifyAnswer(json({ code: 0, msg: '<b>ok</b>' }), input())).toMatchObject({ kind: 'success', body: { msg: '<b>ok</b>' } });
  });

  it('tells malformed JSON from JSON that is not an object', () => {
    const kinds = ['{"code":0', '', 'null', '42', '"text"', '[{"code":0}]', 'true'].map((text) => {
      const d = classifyAnswer(answer(text), input());
      expect(d.kind, text).toBe('retry');
      return [(errorOf(d) as ScrmParseError).kind, d.kind === 'retry' && d.reason];
    });
    expect(kinds).toEqual([
      ['json', 'unparseable body (json)'],
      ['json', 'unparseable body (json)'],
      ['envelope', 'unparseable body (envelope)'],
      ['envelope', 'unparseable body (envelope)'],
      ['envelope', 'unparseable body (envelope)'],
      ['envelope', 'unparseable body (envelope)'],
      ['envelope', 'unparseable body (envelope)'],
    ]);
  });

  it('does not retry a body it cannot parse on a write, and marks the error so', () => {
    const d = classifyAnswer(answer('oops'), input({ idempotent: false }));
    expect(d).toMatchObject({
      kind: 'throw',
      error: { kind: 'json', retryable: false, bodySnippet: 'oops', contentType: 'application/json' },
    });
    expect(classifyAnswer(answer('oops'), input())).toMatchObject({ kind: 'retry', throttle: false, error: { retryable: true } });
  });

  it('still needs JSON where there is no envelope, and takes null as an answer there', () => {
    const none = { ...acmeProfile.envelope, none: true };
    expect(classifyAnswer(answer('not json'), input({ envelope: none, idempotent: false }))).toMatchObject({
      kind: 'throw',
      error: { kind: 'json' },
    });
    expect(classifyAnswer(answer('null'), input({ envelope: none }))).toEqual({ kind: 'success', body: null });
    expect(classifyAnswer(answer('<html>'), input({ envelope: none, idempotent: false }))).toMatchObject({
      kind: 'throw',
      error: { kind: 'html' },
    });
  });

  it('throws, never retries, an envelope without its code, and reports a null code as absent', () => {
    for (const body of [{ msg: 'x' }, { code: null }]) {
      const d = classifyAnswer(json(body), input());
      expect(d).toMatchObject({ kind: 'throw', error: { kind: 'envelope', retryable: false, status: 200 } });
      expect(d.code).toEqual({ value: (body as { code?: unknown }).code });
    }
    const optional = { ...acmeProfile.envelope, codeOptional: true };
    expect(classifyAnswer(json({ code: null, items: [] }), input({ envelope: optional }))).toMatchObject({
      kind: 'success',
      body: { items: [] },
    });
  });
});

describe('result codes', () => {
  it('compares codes given as text by value, but never an empty one', () => {
    const success = (code: unknown, list: (number | string)[] = [0]) =>
      classifyAnswer(json({ code }), input({ envelope: { ...acmeProfile.envelope, success: list } })).kind;
    expect(success('0')).toBe('success');
    expect(success(' 0 ')).toBe('success');
    expect(success('')).toBe('api-error');
    expect(success('  ')).toBe('api-error');
    expect(success('ok', ['ok'])).toBe('success');
    expect(success('OK', ['ok'])).toBe('api-error');
    expect(success(false)).toBe('api-error');
  });

  it('normalizes a numeric text code to a number for the error, its action and refresh, and keeps other text as it is', () => {
    expect(errorOf(classifyAnswer(json({ code: ' -1 ' }), input()))).toMatchObject({ code: -1, action: 'retry' });
    expect(errorOf(classifyAnswer(json({ code: '45009' }), input()))).toMatchObject({ code: 45009, action: 'throttle' });
    expect(classifyAnswer(json({ code: ' 42001' }), input()).kind).toBe('refresh');
    for (const code of ['4a', '1.5', '-', 'E_FAIL']) {
      const d = classifyAnswer(json({ code }), input());
      expect(d.kind, code).toBe('api-error');
      expect(errorOf(d)).toMatchObject({ code, action: 'fail' });
    }
    // a code that is an object is named by its text
    expect(errorOf(classifyAnswer(json({ code: { a: 1 } }), input()))).toMatchObject({ code: '[object Object]' });
  });

  it('refreshes on a refreshOn code even on a write, and never for a code that is only text', () => {
    expect(classifyAnswer(json({ code: 42001 }), input({ idempotent: false })).kind).toBe('refresh');
    expect(classifyAnswer(json({ code: 'x' }), input({ refreshOn: [] })).kind).toBe('api-error');
  });

  it('reads the vendor message, or none, into the error', () => {
    expect(errorOf(classifyAnswer(json({ code: 7, msg: 'bad' }), input()))).toMatchObject({ vendorMessage: 'bad', httpStatus: 200 });
    expect(errorOf(classifyAnswer(json({ code: 7 }), input()))).toMatchObject({ vendorMessage: '' });
    expect(errorOf(classifyAnswer(json({ code: 7, msg: 12 }), input()))).toMatchObject({ vendorMessage: '12' });
  });

  it('finds the request id in the headers, else in a hint in the message', () => {
    const id = (headers: Record<string, string>, msg = 'failed') =>
      (errorOf(classifyAnswer(json({ code: 7, msg }, headers), input())) as ScrmApiError).requestId;
    expect(id({ 'x-request-id': 'a', 'request-id': 'b' }, 'hint: [c]')).toBe('a');
    expect(id({ 'request-id': 'b' }, 'hint: [c]')).toBe('b');
    expect(id({}, 'invalid, hint: [ab12-cd], from ip')).toBe('ab12-cd');
    expect(id({}, 'hint:[x9]')).toBe('x9');
    expect(id({}, 'hint: []')).toBeUndefined();
    expect(id({})).toBeUndefined();
  });
});

describe('snippets', () => {
  it('keeps the first 500 characters, redacted before they are cut', () => {
    const long = 'x'.repeat(600);
    expect((errorOf(classifyAnswer(answer(long, 500), input())) as ScrmHttpError).bodySnippet).toBe('x'.repeat(500));
    // a secret straddling the cut is redacted whole, not half kept
    const straddle = `${'y'.repeat(490)}${SECRET}`;
    const snippet = (errorOf(classifyAnswer(answer(straddle, 500), input())) as ScrmHttpError).bodySnippet;
    expect(snippet.startsWith('y'.repeat(490))).toBe(true);
    expect(snippet).not.toContain(SECRET.slice(0, 10));
    const parse = (errorOf(classifyAnswer(answer(`<html>${SECRET}</html>`), input())) as ScrmParseError).bodySnippet;
    expect(parse).toBe('<html>[REDACTED]</html>');
  });
});

describe('classifyFailure', () => {
  const base = { timedOut: false, timeoutMs: 50, redactor, context: { vendor: 'acme', operation: 'createItem' } };
  const failure = (code: unknown, where: 'cause' | 'self' = 'cause') =>
    where === 'cause'
      ? Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('inner'), { code }) })
      : Object.assign(new Error('outer'), { code });

  it('retries a write for every code that proves the request never left, and only those', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']) {
      const d = classifyFailure(failure(code), { ...base, idempotent: false });
      expect(d, code).toMatchObject({
        kind: 'retry',
        reason: `network ${code}`,
        throttle: false,
        error: { code, requestNotSent: true, retryable: true },
      });
    }
    for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']) {
      expect(classifyFailure(failure(code), { ...base, idempotent: false }), code).toMatchObject({
        kind: 'throw',
        error: { requestNotSent: false, retryable: false },
      });
    }
  });

  it('reads the code of the failure itself when its cause has none, and ignores a code that is not text', () => {
    expect(classifyFailure(failure('ENOTFOUND', 'self'), { ...base, idempotent: false })).toMatchObject({
      kind: 'retry',
      error: { code: 'ENOTFOUND' },
    });
    const numeric = classifyFailure(failure(111), { ...base, idempotent: true });
    expect(numeric).toMatchObject({ kind: 'retry', reason: 'network error', error: { code: undefined, requestNotSent: false } });
    expect(classifyFailure(failure(111), { ...base, idempotent: false }).kind).toBe('throw');
  });

  it('keeps the name, message, inner message and code of the cause, and copes with a thrown non-error', () => {
    const d = classifyFailure(
      Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }) }),
      { ...base, idempotent: false },
    );
    const error = errorOf(d) as ScrmNetworkError;
    expect(error.cause).toBeInstanceOf(ScrmErrorCause);
    expect(error.cause).toMatchObject({ name: 'TypeError', message: 'fetch failed: connect ECONNRESET', code: 'ECONNRESET' });
    const odd = errorOf(classifyFailure('just a string', { ...base, idempotent: false })) as ScrmNetworkError;
    expect(odd.cause).toMatchObject({ name: 'Error', message: 'just a string', code: undefined });
    const nameless = errorOf(classifyFailure({ message: 'no name', name: 42 }, { ...base, idempotent: false })) as ScrmNetworkError;
    expect(nameless.cause).toMatchObject({ name: 'Error', message: 'no name' });
    const undef = errorOf(classifyFailure(undefined, { ...base, idempotent: false })) as ScrmNetworkError;
    expect(undef.cause).toMatchObject({ name: 'Error', message: 'undefined' });
  });

  it('names the timeout and where it happened', () => {
    const d = classifyFailure(new Error('x'), { ...base, timedOut: true, idempotent: true });
    expect(d).toMatchObject({
      kind: 'retry',
      reason: 'timeout',
      throttle: false,
      error: { timeoutMs: 50, retryable: true, operation: 'createItem' },
    });
  });
});
