// Fuzzing (fast-check), 100,000 generated inputs in total: envelope parsing of every client, pagination cursors,
// WeCom callback parsing and every vendor's callback receiver. Only typed errors (ScrmError) may escape, and nothing
// may hang (each run is bounded; vitest's timeout catches a hang).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isScrmError } from '@scrm-openapi/core';
import { Paginator } from '@scrm-openapi/core/internal';
import { createFakeFetch } from '@scrm-openapi/core/testing';
import { createJijyunClient } from '@scrm-openapi/jijyun';
import { createJijyunCallback } from '@scrm-openapi/jijyun/callback';
import { createJuzibotClient } from '@scrm-openapi/juzibot';
import { createJuzibotCallback } from '@scrm-openapi/juzibot/callback';
import { createWecomClient } from '@scrm-openapi/wecom';
import { createWecomCallback, createWecomCallbackSigner } from '@scrm-openapi/wecom/callback';
import { createWeilingClient } from '@scrm-openapi/weiling';
import { createWeilingCallback, createWeilingCallbackSigner } from '@scrm-openapi/weiling/callback';

export const RUNS = { envelopes: 20_000, cursors: 10_000, wecomCallbacks: 25_000, weiling: 15_000, juzibot: 15_000, jijyun: 15_000 };

/** Runs `fn`; resolves to 'ok' or 'typed', and fails the property for any other throw. */
async function onlyTyped(fn: () => Promise<unknown>): Promise<'ok' | 'typed'> {
  try {
    await fn();
    return 'ok';
  } catch (error) {
    if (isScrmError(error)) return 'typed';
    throw new Error(`an untyped error escaped: ${String(error)}`);
  }
}

/** Bodies a vendor (or a proxy in front of it) might send. */
const bodies = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record({
      errcode: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.double()),
      code: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
      Code: fc.oneof(fc.integer(), fc.constantFrom(2000, 0, 4000)),
      errmsg: fc.string(),
      data: fc.jsonValue(),
    }, { requiredKeys: [] })
    .map((o) => JSON.stringify(o)),
  fc.constantFrom('<html>502</html>', '', 'null', '[]', '{"errcode":0', '\u0000', '{"errcode":"0"}'),
);
const statuses = fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 402, 404, 429, 500, 502, 503);

describe('fuzzing', () => {
  it(`envelope parsing of every client (${RUNS.envelopes} inputs)`, async () => {
    const make = (fetch: typeof globalThis.fetch) => [
      () => createWecomClient({ corpId: 'ww1', corpSecret: 'fuzz-secret-1', fetch, retry: false, throttle: false }).GET('/cgi-bin/externalcontact/get_follow_user_list'),
      () => createJuzibotClient({ token: 'fuzz-token-1', fetch, retry: false, throttle: false }).GET('/api/v1/tag/list'),
      () => createWeilingClient({ appId: 'wl1', appSecret: 'fuzz-secret-2', fetch, retry: false, throttle: false }).POST('/openapi/contact/batch', { body: { contact_ids: ['a'] } }),
      () => createJijyunClient({ apiKey: 'fuzz-key-1', fetch, retry: false, throttle: false }).GET('/v1/openapi/balance'),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(3), bodies, statuses, async (which, body, status) => {
        const fetch = createFakeFetch((call) => {
          // token endpoints answer properly, so the fuzzed body reaches the business call's envelope check
          if (call.path.endsWith('/gettoken')) return { errcode: 0, access_token: 'fuzz-token', expires_in: 7200 };
          if (call.path.endsWith('/access_token/get')) return { code: 0, data: { access_token: 'fuzz-token' } };
          return new Response(status === 204 ? null : body, { status, headers: { 'content-type': 'application/json' } });
        });
        await onlyTyped(make(fetch)[which]!);
      }),
      { numRuns: RUNS.envelopes },
    );
  }, 300_000);

  it(`pagination cursors (${RUNS.cursors} inputs)`, async () => {
    const cursorValues = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 50 }), fc.constant(null), fc.constant(undefined), fc.jsonValue());
    await fc.assert(
      fc.asyncProperty(fc.array(cursorValues, { maxLength: 8 }), fc.constantFrom('cursor', 'offset', 'page'), async (cursors, style) => {
        let i = 0;
        const pagination =
          style === 'cursor'
            ? ({ style, cursor: { in: 'body', param: 'cursor', next: 'next' }, items: 'list' } as const)
            : style === 'offset'
              ? ({ style, offset: { in: 'body', param: 'offset', next: 'next' }, total: 'total', items: 'list' } as const)
              : ({ style, page: { in: 'query', param: 'current', start: 1 }, total: 'total', items: 'list' } as const);
        const paginator = new Paginator({ id: 'fuzz', idempotent: true, pagination }, 'fuzz', '/fuzz', undefined, { maxPages: 20 }, async () => {
          const next = cursors[i++];
          return { list: i < 20 ? [i] : [], next, total: typeof next === 'number' ? next : 30 };
        });
        await onlyTyped(() => paginator.toArray({ maxItems: 50 }));
      }),
      { numRuns: RUNS.cursors },
    );
  }, 300_000);

  it(`WeCom callback parsing, signed and unsigned (${RUNS.wecomCallbacks} inputs)`, async () => {
    const config = { token: 'fuzzToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wwfuzz' };
    const receiver = createWecomCallback({ ...config, dedupe: false, toleranceSeconds: 0 });
    const signer = createWecomCallbackSigner(config);
    const content = fc.oneof(
      fc.string(),
      fc.dictionary(fc.constantFrom('Event', 'ChangeType', 'CreateTime', 'MemChangeList', 'JoinScene', 'InfoType', 'TimeStamp', 'UserID'), fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 }))).map((o) =>
        `<xml>${Object.entries(o).map(([k, v]) => `<${k}>${Array.isArray(v) ? v.map((x) => `<Item>${x}</Item>`).join('') : `<![CDATA[${v}]]>`}</${k}>`).join('')}</xml>`,
      ),
    );
    await fc.assert(
      fc.asyncProperty(content, fc.boolean(), fc.record({ msg_signature: fc.string(), timestamp: fc.string(), nonce: fc.string() }), async (xml, signed, query) => {
        if (signed) {
          const d = signer.event(xml);
          await onlyTyped(() => receiver.parse(d.query, d.body));
        } else {
          await onlyTyped(() => receiver.parse(query, xml));
        }
      }),
      { numRuns: RUNS.wecomCallbacks },
    );
  }, 300_000);

  it(`the Weiling receiver (${RUNS.weiling} inputs)`, async () => {
    const config = { token: 'fuzzToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', appId: 'wlfuzz' };
    const receiver = createWeilingCallback({ ...config, dedupe: false, toleranceSeconds: 0 });
    const signer = createWeilingCallbackSigner(config);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.jsonValue(), fc.record({ header: fc.record({ event_type: fc.constantFrom('add_customer', 'user_insert', 'x'), time_stamp: fc.jsonValue() }), event: fc.jsonValue() })), fc.boolean(), async (payload, signed) => {
        const d = signed ? signer.event(payload) : { query: { msg_signature: 'a', timestamp: '1', nonce: '1' }, body: typeof payload === 'string' ? payload : JSON.stringify(payload) };
        await onlyTyped(() => receiver.parse(d.query, d.body));
      }),
      { numRuns: RUNS.weiling },
    );
  }, 300_000);

  it(`the Juzibot receiver, every kind (${RUNS.juzibot} inputs)`, async () => {
    const receiver = createJuzibotCallback({ dedupe: false, token: 'fuzz' });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('message', 'groupMessage', 'sendResult', 'accountEvent', 'roomJoined', 'roomLoaded' as const), fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ data: v, messageId: v, token: v }))), async (key, body) => {
        await onlyTyped(() => receiver.parse(key, body));
      }),
      { numRuns: RUNS.juzibot },
    );
  }, 300_000);

  it(`the Jijyun receiver, every kind (${RUNS.jijyun} inputs)`, async () => {
    const receiver = createJijyunCallback({ dedupe: false, allowedCompanyIds: ['c1'], secretPath: '/hooks/x' });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('message', 'roomLeave', 'friendAccepted', 'aggregateMessage' as const), fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ data: v, event_id: v, company_id: v }))), fc.constantFrom('/hooks/x', '/hooks/y', undefined), async (key, body, path) => {
        await onlyTyped(() => receiver.parse(key, body, path === undefined ? {} : { path }));
      }),
      { numRuns: RUNS.jijyun },
    );
  }, 300_000);

  it('adds up to 100,000 generated inputs', () => {
    expect(Object.values(RUNS).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100_000);
  });
});
