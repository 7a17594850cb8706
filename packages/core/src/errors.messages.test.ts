// What a user sees of every error class: its name, its message (where the call went and what happened), whether it
// is retryable, the properties a handler branches on, and what `util.inspect` / `JSON.stringify` print.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ScrmApiError,
  ScrmCallbackError,
  ScrmConfigError,
  ScrmError,
  ScrmErrorCause,
  ScrmHttpError,
  ScrmNetworkError,
  ScrmPaginationError,
  ScrmParseError,
  ScrmTimeoutError,
  defaultHttpAction,
  isScrmError,
  type CallbackRejection,
} from './errors.js';

const ctx = { vendor: 'wecom', operation: 'listCustomers', method: 'POST', path: '/cgi-bin/list', attempts: 3 };

describe('where the message says the call went', () => {
  it('names the operation when it is known, else the method and path, else only the vendor', () => {
    const api = (c: ConstructorParameters<typeof ScrmApiError>[1]) =>
      new ScrmApiError({ code: 40001, vendorMessage: 'invalid credential', action: 'fail', httpStatus: 200 }, c).message;
    expect(api(ctx)).toBe('wecom listCustomers failed with code 40001: invalid credential');
    expect(api({ vendor: 'wecom', method: 'GET', path: '/cgi-bin/user/get' })).toBe(
      'wecom GET /cgi-bin/user/get failed with code 40001: invalid credential',
    );
    // half of method/path is not enough to name the call
    expect(api({ vendor: 'wecom', method: 'GET' })).toBe('wecom failed with code 40001: invalid credential');
    expect(api({ vendor: 'wecom', path: '/cgi-bin/user/get' })).toBe('wecom failed with code 40001: invalid credential');
    expect(api({ vendor: 'wecom' })).toBe('wecom failed with code 40001: invalid credential');
  });
});

describe('ScrmError (the base class)', () => {
  it('carries the context, is not retryable unless told, and attaches a cause only when given one', () => {
    const plain = new ScrmError('boom', ctx);
    expect(plain).toBeInstanceOf(Error);
    expect(plain.name).toBe('ScrmError');
    expect(plain.message).toBe('boom');
    expect(plain.retryable).toBe(false);
    expect({ vendor: plain.vendor, operation: plain.operation, method: plain.method, path: plain.path, attempts: plain.attempts }).toEqual(
      ctx,
    );
    expect('cause' in plain).toBe(false);
    expect(isScrmError(plain)).toBe(true);

    const cause = new ScrmErrorCause('TypeError', 'fetch failed', 'ECONNRESET');
    const withCause = new ScrmError('boom', { vendor: 'x' }, { retryable: true, cause });
    expect(withCause.retryable).toBe(true);
    expect(withCause.cause).toBe(cause);
  });

  it('isScrmError is false for other errors and non-errors', () => {
    expect(isScrmError(new Error('x'))).toBe(false);
    expect(isScrmError({ name: 'ScrmError', message: 'x' })).toBe(false);
    expect(isScrmError(undefined)).toBe(false);
  });
});

describe('ScrmErrorCause', () => {
  it('keeps the original name, message and code, and a one-line stack with no frames', () => {
    const c = new ScrmErrorCause('AbortError', 'The operation was aborted', 'ABORT_ERR');
    expect(c.name).toBe('AbortError');
    expect(c.message).toBe('The operation was aborted');
    expect(c.code).toBe('ABORT_ERR');
    expect(c.stack).toBe('AbortError: The operation was aborted');
    expect(new ScrmErrorCause('TypeError', 'x').code).toBeUndefined();
  });
});

describe('ScrmApiError', () => {
  it.each([
    ['retry', true],
    ['throttle', true],
    ['refresh-token', true],
    ['fail', false],
  ] as const)('action %s → retryable %s', (action, retryable) => {
    const e = new ScrmApiError({ code: 45009, vendorMessage: 'api freq out of limit', action, httpStatus: 200 }, ctx);
    expect(e.retryable).toBe(retryable);
    expect(e.action).toBe(action);
  });

  it('exposes the code, the vendor message, the HTTP status and the request id', () => {
    const e = new ScrmApiError({ code: '1009', vendorMessage: 'busy', action: 'fail', httpStatus: 200, requestId: 'hint-abc' }, ctx);
    expect(e.name).toBe('ScrmApiError');
    expect(e).toBeInstanceOf(ScrmError);
    expect(e.code).toBe('1009');
    expect(e.vendorMessage).toBe('busy');
    expect(e.httpStatus).toBe(200);
    expect(e.requestId).toBe('hint-abc');
    expect(e.attempts).toBe(3);
  });
});

describe('ScrmHttpError', () => {
  const http = (init: Partial<ConstructorParameters<typeof ScrmHttpError>[0]>, c: ConstructorParameters<typeof ScrmHttpError>[1] = ctx) =>
    new ScrmHttpError({ status: 502, statusText: 'Bad Gateway', bodySnippet: '<html>', retryable: true, ...init }, c);

  it('says the status, its text when there is one, and the vendor’s name for it when documented', () => {
    expect(http({}).message).toBe('wecom listCustomers failed with HTTP 502 Bad Gateway');
    expect(http({ statusText: '' }).message).toBe('wecom listCustomers failed with HTTP 502');
    expect(
      http({ status: 402, statusText: 'Payment Required', vendorName: 'API请求次数不足', retryable: false }, { vendor: 'acme' }).message,
    ).toBe('acme failed with HTTP 402 Payment Required (API请求次数不足)');
  });

  it('exposes the status, body snippet, Retry-After and retryable as given', () => {
    const e = http({ status: 429, statusText: 'Too Many Requests', retryAfterMs: 2000, bodySnippet: 'slow down', retryable: false });
    expect(e.name).toBe('ScrmHttpError');
    expect(e.status).toBe(429);
    expect(e.statusText).toBe('Too Many Requests');
    expect(e.bodySnippet).toBe('slow down');
    expect(e.retryAfterMs).toBe(2000);
    expect(e.retryable).toBe(false);
    expect(e.vendorName).toBeUndefined();
    expect(e.action).toBe('throttle');
    expect(http({}).retryAfterMs).toBeUndefined();
  });

  it('takes the action given, else the default for its status', () => {
    expect(http({ status: 503, action: 'fail' }).action).toBe('fail');
    expect(http({ status: 503 }).action).toBe('retry');
    expect(http({ status: 404, retryable: false }).action).toBe('fail');
  });

  it.each([
    [429, 'throttle'],
    [408, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [400, 'fail'],
    [401, 'fail'],
    [404, 'fail'],
    [501, 'fail'],
    [505, 'fail'],
  ] as const)('defaultHttpAction(%i) is %s', (status, action) => {
    expect(defaultHttpAction(status)).toBe(action);
  });
});

describe('ScrmParseError', () => {
  it.each([
    ['html', 'an HTML page'],
    ['json', 'malformed JSON'],
    ['envelope', 'JSON without the expected envelope'],
  ] as const)('kind %s says it got %s', (kind, what) => {
    const e = new ScrmParseError(
      { status: 200, contentType: 'text/html', kind, bodySnippet: '<!doctype html>', retryable: kind === 'html' },
      ctx,
    );
    expect(e.name).toBe('ScrmParseError');
    expect(e.message).toBe(`wecom listCustomers answered HTTP 200 with ${what} instead of the expected JSON envelope`);
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(200);
    expect(e.contentType).toBe('text/html');
    expect(e.bodySnippet).toBe('<!doctype html>');
    expect(e.retryable).toBe(kind === 'html');
  });
});

describe('ScrmTimeoutError', () => {
  it('says how long it waited and keeps retryable as given', () => {
    const e = new ScrmTimeoutError(1500, ctx, true);
    expect(e.name).toBe('ScrmTimeoutError');
    expect(e.message).toBe('wecom listCustomers timed out after 1500 ms');
    expect(e.timeoutMs).toBe(1500);
    expect(e.retryable).toBe(true);
    expect(new ScrmTimeoutError(1500, ctx, false).retryable).toBe(false);
  });
});

describe('ScrmNetworkError', () => {
  it('names the system error code when known, and keeps the sanitized cause', () => {
    const cause = new ScrmErrorCause('Error', 'connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED');
    const e = new ScrmNetworkError({ code: 'ECONNREFUSED', requestNotSent: true, retryable: true, cause }, ctx);
    expect(e.name).toBe('ScrmNetworkError');
    expect(e.message).toBe('wecom listCustomers failed: network error (ECONNREFUSED)');
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.requestNotSent).toBe(true);
    expect(e.retryable).toBe(true);
    expect(e.cause).toBe(cause);
  });

  it('without a code or a cause, says only “network error” and has no cause', () => {
    const e = new ScrmNetworkError({ code: undefined, requestNotSent: false, retryable: false }, { vendor: 'juzibot' });
    expect(e.message).toBe('juzibot failed: network error');
    expect(e.requestNotSent).toBe(false);
    expect(e.retryable).toBe(false);
    expect('cause' in e).toBe(false);
  });
});

describe('ScrmPaginationError and ScrmConfigError', () => {
  it('keep the message as given, their name, and are not retryable', () => {
    const p = new ScrmPaginationError('/x: more than 3 pages', { vendor: 'weiling', path: '/x' });
    expect(p.name).toBe('ScrmPaginationError');
    expect(p.message).toBe('/x: more than 3 pages');
    expect(p.retryable).toBe(false);
    const c = new ScrmConfigError('missing corpsecret', 'wecom');
    expect(c.name).toBe('ScrmConfigError');
    expect(c.message).toBe('missing corpsecret');
    expect(c.vendor).toBe('wecom');
    expect(c.retryable).toBe(false);
    expect(c).toBeInstanceOf(ScrmError);
  });
});

describe('ScrmCallbackError', () => {
  it.each<[CallbackRejection, number]>([
    ['bad-signature', 401],
    ['bad-secret-path', 401],
    ['bad-token', 401],
    ['not-allowed', 403],
    ['replayed', 409],
    ['stale-timestamp', 400],
    ['bad-padding', 400],
    ['malformed-body', 400],
    ['invalid-payload', 400],
  ])('reason %s → HTTP %i', (reason, status) => {
    const e = new ScrmCallbackError(reason, 'details', 'wecom');
    expect(e.name).toBe('ScrmCallbackError');
    expect(e.reason).toBe(reason);
    expect(e.status).toBe(status);
    expect(e.message).toBe(`wecom callback rejected (${reason}): details`);
    expect(e.retryable).toBe(false);
  });
});

describe('what logging an error shows', () => {
  // (that no secret reaches these, through a real client, is checked in transport.test.ts with `everythingIn`)
  const errors: Error[] = [
    new ScrmApiError({ code: 40001, vendorMessage: 'invalid credential', action: 'refresh-token', httpStatus: 200 }, ctx),
    new ScrmHttpError({ status: 500, statusText: 'Internal Server Error', bodySnippet: 'oops', retryable: true }, ctx),
    new ScrmParseError({ status: 200, contentType: 'text/html', kind: 'html', bodySnippet: '<html>', retryable: true }, ctx),
    new ScrmTimeoutError(100, ctx, true),
    new ScrmNetworkError(
      { code: 'ECONNRESET', requestNotSent: false, retryable: false, cause: new ScrmErrorCause('TypeError', 'fetch failed', 'ECONNRESET') },
      ctx,
    ),
    new ScrmPaginationError('/x: loop', ctx),
    new ScrmConfigError('missing secret', 'wecom'),
    new ScrmCallbackError('bad-signature', 'signature mismatch', 'wecom'),
  ];

  it.each(errors.map((e) => [e.name, e] as const))(
    '%s: inspect names the class and message, JSON has its vendor and retryable',
    (name, e) => {
      const shown = inspect(e, { depth: 5 });
      expect(shown).toContain(`${name}: ${e.message}`);
      const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
      expect(json.name).toBe(name);
      expect(json.vendor).toBe('wecom');
      expect(typeof json.retryable).toBe('boolean');
    },
  );
});
