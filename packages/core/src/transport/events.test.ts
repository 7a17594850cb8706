// What the transport reports while it works: the events passed to `onEvent` and the lines given to a logger
// (request, response, retry, throttle-wait, token-refresh), with their fields and log levels. Users build their
// dashboards and alerts on these, so their shape is part of the contract.
import { describe, expect, it } from 'vitest';
import { createScrmClient } from '../client.js';
import type { Logger, ScrmEvent } from '../logger.js';
import type { VendorProfile } from '../profile.js';
import { createFakeFetch } from '../testing.js';
import { acmeClient, fakeAcme, GET_ONE, LIST, ok, TOKEN_PATH } from '../test-support.js';
import { staticKeyProfile } from '../test-support.js';

type Line = { level: keyof Logger; obj: Record<string, unknown>; msg: string | undefined };
/** A logger that keeps each line with its level. */
function levelLogger(): Logger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: keyof Logger) => (obj: Record<string, unknown>, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** An event without its timing (durationMs varies from run to run). */
const untimed = (e: ScrmEvent) => {
  const { durationMs: _d, ...rest } = e as ScrmEvent & { durationMs?: number };
  return rest;
};

describe('events of a call', () => {
  it('reports the token fetch and the call, request then response, with operation, method, path, attempt, status and code', async () => {
    const events: ScrmEvent[] = [];
    const acme = fakeAcme(() => ok({ items: [] }));
    await acmeClient(acme.fetch, { onEvent: (e) => events.push(e) }).GET(LIST);
    expect(events.map(untimed)).toEqual([
      { type: 'request', vendor: 'acme', operation: 'getToken', method: 'GET', path: TOKEN_PATH, attempt: 1 },
      { type: 'response', vendor: 'acme', operation: 'getToken', method: 'GET', path: TOKEN_PATH, attempt: 1, status: 200, code: 0 },
      { type: 'token-refresh', vendor: 'acme', reason: 'cold', ok: true },
      { type: 'request', vendor: 'acme', operation: 'listItems', method: 'GET', path: LIST, attempt: 1 },
      { type: 'response', vendor: 'acme', operation: 'listItems', method: 'GET', path: LIST, attempt: 1, status: 200, code: 0 },
    ]);
    for (const e of events.filter((e) => e.type === 'response')) {
      expect(Number.isInteger((e as { durationMs: number }).durationMs)).toBe(true);
      expect((e as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(0);
      expect((e as { durationMs: number }).durationMs).toBeLessThan(10_000);
    }
  });

  it('logs the same events at their levels: request and response at debug, retry at warn, token refresh at info', async () => {
    let n = 0;
    const acme = fakeAcme(() => (++n === 1 ? { code: -1, msg: 'busy' } : ok()));
    const logger = levelLogger();
    // a logger alone, without onEvent, is enough to get the events
    await acmeClient(acme.fetch, { logger }).GET(LIST);
    expect(logger.lines.map((l) => [l.level, l.msg, l.obj.event])).toEqual([
      ['debug', 'scrm acme request', 'request'],
      ['debug', 'scrm acme response', 'response'],
      ['info', 'scrm acme token-refresh', 'token-refresh'],
      ['debug', 'scrm acme request', 'request'],
      ['debug', 'scrm acme response', 'response'],
      ['warn', 'scrm acme retry', 'retry'],
      ['debug', 'scrm acme request', 'request'],
      ['debug', 'scrm acme response', 'response'],
    ]);
    const retry = logger.lines.find((l) => l.obj.event === 'retry')!.obj;
    expect(retry).toMatchObject({ vendor: 'acme', operation: 'listItems', method: 'GET', path: LIST, attempt: 1, reason: 'code -1' });
    expect(retry).not.toHaveProperty('type');
    expect(logger.lines.filter((l) => l.obj.event === 'request' && l.obj.operation === 'listItems').map((l) => l.obj.attempt)).toEqual([
      1, 2,
    ]);
  });

  it('numbers the attempts of a retried call and gives each retry its reason and delay', async () => {
    let n = 0;
    const events: ScrmEvent[] = [];
    const acme = fakeAcme(() => (++n === 1 ? new Response('', { status: 503 }) : n === 2 ? { code: -1, msg: 'busy' } : ok()));
    await acmeClient(acme.fetch, { retry: { baseDelayMs: 8, maxDelayMs: 8 }, onEvent: (e) => events.push(e) }).POST(GET_ONE, {
      body: { id: 'i1' },
    });
    const business = events.filter((e) => 'operation' in e && e.operation === 'getItem');
    expect(business.map((e) => [e.type, (e as { attempt: number }).attempt])).toEqual([
      ['request', 1],
      ['response', 1],
      ['retry', 1],
      ['request', 2],
      ['response', 2],
      ['retry', 2],
      ['request', 3],
      ['response', 3],
    ]);
    const retries = business.filter((e) => e.type === 'retry') as Extract<ScrmEvent, { type: 'retry' }>[];
    expect(retries.map((r) => r.reason)).toEqual(['HTTP 503', 'code -1']);
    expect(retries.map((r) => [r.method, r.path])).toEqual([
      ['POST', GET_ONE],
      ['POST', GET_ONE],
    ]);
    for (const r of retries) {
      expect(r.delayMs).toBeGreaterThanOrEqual(4);
      expect(r.delayMs).toBeLessThanOrEqual(8);
    }
    // an HTTP error's envelope is not read: its response has no code; the vendor code is reported
    const responses = business.filter((e) => e.type === 'response') as Extract<ScrmEvent, { type: 'response' }>[];
    expect(responses.map((r) => r.status)).toEqual([503, 200, 200]);
    expect(responses[0]).not.toHaveProperty('code');
    expect(responses.map((r) => r.code)).toEqual([undefined, -1, 0]);
  });

  it('reports a refused token as a retry without delay, then the refresh it caused', async () => {
    let n = 0;
    const events: ScrmEvent[] = [];
    const acme = fakeAcme(() => (++n === 1 ? { code: 42001, msg: 'expired' } : ok()));
    await acmeClient(acme.fetch, { onEvent: (e) => events.push(e) }).GET(LIST);
    const after = events.slice(events.findIndex((e) => e.type === 'response' && e.code === 42001));
    expect(after.map(untimed).slice(1, 4)).toEqual([
      {
        type: 'retry',
        vendor: 'acme',
        operation: 'listItems',
        method: 'GET',
        path: LIST,
        attempt: 1,
        reason: 'token rejected',
        delayMs: 0,
      },
      { type: 'request', vendor: 'acme', operation: 'getToken', method: 'GET', path: TOKEN_PATH, attempt: 1 },
      { type: 'response', vendor: 'acme', operation: 'getToken', method: 'GET', path: TOKEN_PATH, attempt: 1, status: 200, code: 0 },
    ]);
    expect(events.filter((e) => e.type === 'token-refresh').map((e) => (e as { reason: string }).reason)).toEqual(['cold', 'invalidated']);
  });

  it('reports timeouts, network failures and unparseable bodies as retry reasons', async () => {
    let n = 0;
    const events: ScrmEvent[] = [];
    const acme = fakeAcme(async (call) => {
      n++;
      if (n === 1) return new Promise<never>((_, reject) => call.signal.addEventListener('abort', () => reject(call.signal.reason)));
      if (n === 2) throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
      if (n === 3) return new Response('not json', { status: 200 });
      return ok();
    });
    await acmeClient(acme.fetch, { timeoutMs: 20, retry: { maxRetries: 3, baseDelayMs: 1 }, onEvent: (e) => events.push(e) }).GET(LIST);
    expect(events.flatMap((e) => (e.type === 'retry' ? [e.reason] : []))).toEqual([
      'timeout',
      'network ECONNRESET',
      'unparseable body (json)',
    ]);
    // a failed fetch has no response: no response event for attempts 1 and 2
    expect(events.flatMap((e) => (e.type === 'response' && e.operation === 'listItems' ? [e.attempt] : []))).toEqual([3, 4]);
  });

  it('reports no code for an answer outside any envelope', async () => {
    const profile = staticKeyProfile({
      vendor: 'plain',
      baseUrl: 'https://api.plain.invalid',
      envelope: { code: 'code', message: 'msg', success: [0], none: true },
      operations: { 'GET /things': { id: 'things', idempotent: true } },
    });
    const events: ScrmEvent[] = [];
    const api = createScrmClient(
      profile,
      { key: 'k-0001' },
      { fetch: createFakeFetch(() => [1, 2]), onEvent: (e) => events.push(e) },
    ) as unknown as {
      GET(path: string): Promise<{ data?: unknown }>;
    };
    expect((await api.GET('/things')).data).toEqual([1, 2]);
    const response = events.find((e) => e.type === 'response')!;
    expect(untimed(response)).toEqual({
      type: 'response',
      vendor: 'plain',
      operation: 'things',
      method: 'GET',
      path: '/things',
      attempt: 1,
      status: 200,
    });
  });
});

describe('throttle-wait events', () => {
  const profile: VendorProfile = {
    vendor: 'slow',
    baseUrl: 'https://api.slow.invalid',
    envelope: { code: 'code', message: 'msg', success: [0] },
    auth: { type: 'static', credentials: { key: 'key' }, default: 'key', inject: { in: 'query', name: 'key' } },
    errorActions: {},
    operations: { 'GET /x': { id: 'getX', idempotent: true } },
    secretParams: ['key'],
    // one call every 100 ms, no burst
    rateLimits: [{ scope: 'operation', limit: 10, intervalMs: 1000, burst: 1 }],
  };

  it('reports how long a call waits for its slot, at debug level', async () => {
    const events: ScrmEvent[] = [];
    const logger = levelLogger();
    const api = createScrmClient(
      profile,
      { key: 'k-0001' },
      { fetch: createFakeFetch(() => ({ code: 0 })), logger, onEvent: (e) => events.push(e) },
    ) as unknown as {
      GET(path: string): Promise<unknown>;
    };
    await Promise.all([api.GET('/x'), api.GET('/x')]);
    const waits = events.filter((e) => e.type === 'throttle-wait') as Extract<ScrmEvent, { type: 'throttle-wait' }>[];
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({ vendor: 'slow', operation: 'getX', method: 'GET', path: '/x', attempt: 1 });
    expect(waits[0]!.waitMs).toBeGreaterThan(0);
    expect(waits[0]!.waitMs).toBeLessThanOrEqual(100);
    expect(logger.lines.filter((l) => l.obj.event === 'throttle-wait').map((l) => [l.level, l.msg])).toEqual([
      ['debug', 'scrm slow throttle-wait'],
    ]);
    // the wait comes before the request it holds back
    const second = events.findIndex((e) => e.type === 'throttle-wait');
    expect(events[second + 1]).toMatchObject({ type: 'request', attempt: 1 });
  });

  it('throttles a path the spec does not describe by its method and path, apart from the others', async () => {
    const events: ScrmEvent[] = [];
    const api = createScrmClient(
      profile,
      { key: 'k-0001' },
      { fetch: createFakeFetch(() => ({ code: 0 })), onEvent: (e) => events.push(e) },
    ) as unknown as {
      GET(path: string): Promise<unknown>;
    };
    await Promise.all([api.GET('/y'), api.GET('/y'), api.GET('/z')]);
    const waits = events.filter((e) => e.type === 'throttle-wait') as Extract<ScrmEvent, { type: 'throttle-wait' }>[];
    expect(waits.map((w) => [w.operation, w.path])).toEqual([[undefined, '/y']]);
  });
});
