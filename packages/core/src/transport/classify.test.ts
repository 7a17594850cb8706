import { describe, expect, it } from 'vitest';
import { ScrmApiError, ScrmHttpError, ScrmNetworkError, ScrmParseError, ScrmTimeoutError } from '../errors.js';
import { Redactor } from '../redact.js';
import { acmeProfile } from '../test-support.js';
import { classifyAnswer, classifyFailure, type Answer, type ClassifyInput } from './classify.js';

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
const answer = (text: string, status = 200, headers: Record<string, string> = {}): Answer => ({
  status,
  statusText: '',
  headers: new Headers({ 'content-type': 'application/json', ...headers }),
  text,
});
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => answer(JSON.stringify(body), status, headers);

describe('classifyAnswer', () => {
  it('is a success with the parsed body for a success code, and reports the code read', () => {
    const d = classifyAnswer(json({ code: 0, items: [1] }), input());
    expect(d).toMatchObject({ kind: 'success', body: { code: 0, items: [1] }, code: { value: 0 } });
  });

  it('compares a string code by its numeric value', () => {
    expect(classifyAnswer(json({ code: '0' }), input()).kind).toBe('success');
    expect(classifyAnswer(json({ code: ' ' }), input()).kind).toBe('api-error');
  });

  it('returns a vendor error code as an api-error carrying the envelope and a typed error', () => {
    const d = classifyAnswer(json({ code: 60011, msg: 'no privilege' }, 200, { 'x-request-id': 'req-1' }), input());
    expect(d.kind).toBe('api-error');
    if (d.kind !== 'api-error') return;
    expect(d.body).toEqual({ code: 60011, msg: 'no privilege' });
    expect(d.error).toBeInstanceOf(ScrmApiError);
    expect(d.error).toMatchObject({ code: 60011, action: 'fail', requestId: 'req-1', operation: 'listItems', attempts: 1 });
  });

  it('asks for a refresh on a refreshOn code, but only when a credential was sent', () => {
    expect(classifyAnswer(json({ code: 42001 }), input()).kind).toBe('refresh');
    expect(classifyAnswer(json({ code: '40014' }), input()).kind).toBe('refresh');
    expect(classifyAnswer(json({ code: 42001 }), input({ refreshOn: [] })).kind).toBe('api-error');
  });

  it('retries a retry code on an idempotent call, keeping the envelope to return when retries run out', () => {
    const d = classifyAnswer(json({ code: -1, msg: 'busy' }), input());
    expect(d).toMatchObject({ kind: 'retry', reason: 'code -1', throttle: false, body: { code: -1 } });
    expect(classifyAnswer(json({ code: -1 }), input({ idempotent: false })).kind).toBe('api-error');
  });

  it('marks a rate-limit code as a throttle retry', () => {
    expect(classifyAnswer(json({ code: 45009 }), input())).toMatchObject({ kind: 'retry', throttle: true });
  });

  it('retries 5xx and 429 on idempotent calls with the Retry-After hint, and throws them on writes', () => {
    const d = classifyAnswer(answer('', 429, { 'retry-after': '2' }), input());
    expect(d).toMatchObject({ kind: 'retry', reason: 'HTTP 429', retryAfterMs: 2000, throttle: true });
    expect(classifyAnswer(answer('oops', 503), input())).toMatchObject({ kind: 'retry', reason: 'HTTP 503', throttle: false });
    const thrown = classifyAnswer(answer('oops', 500), input({ idempotent: false }));
    expect(thrown.kind).toBe('throw');
    expect(thrown.kind === 'throw' && thrown.error).toBeInstanceOf(ScrmHttpError);
  });

  it('reads a Retry-After date against the given clock', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const d = classifyAnswer(answer('', 503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), input({ now }));
    expect(d).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
  });

  it('throws a documented HTTP status with its vendor name and action, never retrying a fail', () => {
    const profile = { ...acmeProfile, httpErrors: { '402': { name: 'PAYMENT_REQUIRED', action: 'fail' as const } } };
    const d = classifyAnswer(answer('{}', 402), input({ profile }));
    expect(d.kind).toBe('throw');
    expect(d.kind === 'throw' && d.error).toMatchObject({ status: 402, vendorName: 'PAYMENT_REQUIRED', action: 'fail' });
  });

  it('turns malformed JSON, HTML and non-object bodies into parse errors (retried only when idempotent)', () => {
    expect(classifyAnswer(answer('{"code":0,'), input())).toMatchObject({ kind: 'retry', reason: 'unparseable body (json)' });
    const html = classifyAnswer(answer('<html>502</html>', 200, { 'content-type': 'text/html' }), input({ idempotent: false }));
    expect(html.kind === 'throw' && html.error).toBeInstanceOf(ScrmParseError);
    expect(html.kind === 'throw' && html.error).toMatchObject({ kind: 'html' });
    const list = classifyAnswer(json([1, 2]), input({ idempotent: false }));
    expect(list.kind === 'throw' && list.error).toMatchObject({ kind: 'envelope' });
    expect(list.code).toBeUndefined();
  });

  it('throws on an envelope without its code unless the code is optional', () => {
    expect(classifyAnswer(json({ items: [] }), input()).kind).toBe('throw');
    const optional = { ...acmeProfile.envelope, codeOptional: true };
    expect(classifyAnswer(json({ items: [] }), input({ envelope: optional }))).toMatchObject({
      kind: 'success',
      code: { value: undefined },
    });
  });

  it('accepts any JSON outside the envelope for an operation that has none', () => {
    const none = { ...acmeProfile.envelope, none: true };
    expect(classifyAnswer(json([1, 2]), input({ envelope: none }))).toEqual({ kind: 'success', body: [1, 2] });
  });

  it('redacts secrets in snippets and vendor messages', () => {
    const http = classifyAnswer(answer(`bad app_secret=${SECRET}`, 400), input());
    expect(JSON.stringify(http.kind === 'throw' && http.error.message)).not.toContain(SECRET);
    expect(http.kind === 'throw' && (http.error as ScrmHttpError).bodySnippet).not.toContain(SECRET);
    const api = classifyAnswer(json({ code: 40001, msg: `invalid secret ${SECRET}` }), input());
    expect(api.kind === 'api-error' && api.error.vendorMessage).toBe('invalid secret [REDACTED]');
  });
});

describe('classifyFailure', () => {
  const context = { vendor: 'acme', operation: 'createItem' };
  const refused = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
  const reset = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
  const base = { timedOut: false, timeoutMs: 50, redactor, context };

  it('retries a timed-out read and throws a timed-out write', () => {
    expect(classifyFailure(new Error('aborted'), { ...base, timedOut: true, idempotent: true })).toMatchObject({
      kind: 'retry',
      reason: 'timeout',
    });
    const write = classifyFailure(new Error('aborted'), { ...base, timedOut: true, idempotent: false });
    expect(write.kind === 'throw' && write.error).toBeInstanceOf(ScrmTimeoutError);
    expect(write.kind === 'throw' && write.error).toMatchObject({ timeoutMs: 50, retryable: false });
  });

  it('retries a write only when the request provably never left', () => {
    expect(classifyFailure(refused, { ...base, idempotent: false })).toMatchObject({ kind: 'retry', reason: 'network ECONNREFUSED' });
    const d = classifyFailure(reset, { ...base, idempotent: false });
    expect(d.kind === 'throw' && d.error).toBeInstanceOf(ScrmNetworkError);
    expect(d.kind === 'throw' && d.error).toMatchObject({ code: 'ECONNRESET', requestNotSent: false, retryable: false });
    expect(classifyFailure(reset, { ...base, idempotent: true }).kind).toBe('retry');
  });

  it('keeps only a redacted copy of the cause', () => {
    const failure = Object.assign(new TypeError(`fetch failed for https://x.invalid/?app_secret=${SECRET}`), { code: 'ECONNRESET' });
    const d = classifyFailure(failure, { ...base, idempotent: false });
    const cause = d.kind === 'throw' ? (d.error.cause as Error) : undefined;
    expect(cause?.message).not.toContain(SECRET);
    expect(cause).not.toBe(failure);
  });
});
