// Fuzzing (fast-check), at least 100,000 generated inputs in total (counted as they run): envelope parsing of every
// client, pagination cursors, WeCom callback parsing and every vendor's callback receiver. Only typed errors
// (ScrmError) may escape, and nothing may hang (each run is bounded; vitest's timeout catches a hang). Envelope inputs
// carry an oracle: each generated answer's expected outcome (success with that data, ScrmApiError with that code and
// action, ScrmParseError, ScrmHttpError with that status, and how many attempts) is computed from the vendor profile
// alone and compared with what the client did.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isScrmError,
  ScrmApiError,
  ScrmHttpError,
  ScrmParseError,
  unwrap,
  type OperationMeta,
  type VendorProfile,
} from '@scrm-openapi/core';
import { Paginator } from '@scrm-openapi/core/internal';
import { createFakeFetch } from '@scrm-openapi/core/testing';
import { createJuzibotCallback } from '@scrm-openapi/juzibot/callback';
import { createWecomCallback, createWecomCallbackSigner } from '@scrm-openapi/wecom/callback';
import { createWeilingCallback, createWeilingCallbackSigner } from '@scrm-openapi/weiling/callback';
import { loadVendorClients, successCalls } from './vendor-clients.js';

// (the receivers of vendors whose callbacks this file does not fuzz are fuzzed in their own package's tests)
export const RUNS = { envelopes: 35_000, cursors: 10_000, wecomCallbacks: 25_000, weiling: 15_000, juzibot: 15_000 };
/** Inputs each property actually ran (incremented inside the property, so a skipped or cut-short run shows). */
const ran = Object.fromEntries(Object.keys(RUNS).map((k) => [k, 0])) as Record<keyof typeof RUNS, number>;

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

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

type Call = () => Promise<{ data?: unknown; error?: unknown; response: Response }>;
interface Target {
  profile: VendorProfile;
  meta: OperationMeta;
  call: (fetch: typeof globalThis.fetch) => Call;
}

/**
 * Every vendor's client (from the registry), each on one business GET without required parameters, with the profile
 * and operation metadata it runs on.
 */
async function targets(): Promise<Target[]> {
  const opts = { retry: false, throttle: false } as const;
  return (await loadVendorClients()).map(({ vendor, spec, create }) => {
    const make = (fetch?: typeof globalThis.fetch) => create({ ...vendor.sandboxCredentials, fetch, ...opts });
    const { path } = successCalls(spec)[0]!;
    const profile = make().profile;
    const meta = profile.operations[`GET ${path}`];
    if (!meta) throw new Error(`${profile.vendor}: GET ${path} is not in the profile`);
    return { profile, meta, call: (fetch) => () => make(fetch).GET(path) };
  });
}
const TARGETS = await targets();

/** A token endpoint's proper answer, built from the profile (so the fuzzed body reaches the business call). */
function tokenAnswer(profile: VendorProfile): Record<string, unknown> {
  const answer: Record<string, unknown> = { [profile.envelope.code]: profile.envelope.success[0] };
  if (profile.auth.type !== 'token-endpoint') return answer;
  const keys = profile.auth.token.field.split('.');
  let node = answer;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = 'fuzz-token';
  return answer;
}

type Expected =
  | { kind: 'success'; data: unknown }
  /** `code` undefined: a code that is not a number or a string (any text will do); `attempts` counts the token refresh's retry. */
  | { kind: 'api-error'; body: unknown; code: number | string | undefined; action: string | undefined; attempts: number }
  | { kind: 'parse-error' }
  | { kind: 'http-error'; status: number };

/**
 * What a client without retries must make of one answer, from the vendor profile alone: the envelope's code field,
 * its success codes (a numeric string counts by its numeric value; an empty or blank one is no number), whether an
 * absent code means success, the error actions and the codes that refresh the token.
 */
function expectedOutcome(target: Target, status: number, text: string): Expected {
  if (status < 200 || status > 299) return { kind: 'http-error', status };
  const envelope = target.meta.envelope ?? target.profile.envelope;
  let body: unknown;
  try {
    body = /^\s*</.test(text) ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body === undefined) return { kind: 'parse-error' };
  if (envelope.none) return { kind: 'success', data: body };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { kind: 'parse-error' };
  const code = (body as Record<string, unknown>)[envelope.code];
  if (code === undefined || code === null) return envelope.codeOptional ? { kind: 'success', data: body } : { kind: 'parse-error' };
  const numericText = typeof code === 'string' && code.trim() !== '' && Number.isFinite(Number(code));
  if (envelope.success.some((s) => s === code || (numericText && Number(code) === Number(s)))) return { kind: 'success', data: body };
  const normalized =
    typeof code === 'number' ? code : typeof code === 'string' ? (/^\s*-?\d+\s*$/.test(code) ? Number(code) : code) : undefined;
  const refreshOn = target.profile.auth.refreshOn ?? [];
  const refresh = typeof normalized === 'number' && refreshOn.includes(normalized);
  return {
    kind: 'api-error',
    body,
    code: normalized,
    action: normalized === undefined ? undefined : (target.profile.errorActions[String(normalized)] ?? 'fail'),
    attempts: refresh ? 2 : 1,
  };
}

/** Result codes the profiles give a meaning to (success, error actions, token refresh), as numbers and as text. */
const meaningfulCodes = [
  ...new Set(
    TARGETS.flatMap(({ profile }) => [
      ...profile.envelope.success,
      ...Object.keys(profile.errorActions).map(Number),
      ...(profile.auth.refreshOn ?? []),
    ]),
  ),
];
const codes = fc.oneof(
  fc.integer(),
  fc.string(),
  fc.constant(null),
  fc.double(),
  fc.constantFrom(...meaningfulCodes),
  fc.constantFrom(...meaningfulCodes).map(String),
  fc.constantFrom(...meaningfulCodes).map((c) => ` ${c} `),
  fc.constantFrom('', ' ', '0x0', 'ok', '-', '0.0', '1e3'),
);

/** Bodies a vendor (or a proxy in front of it) might send. */
const bodies = fc.oneof(
  fc.string(),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        errcode: codes,
        code: codes,
        Code: codes,
        errmsg: fc.string(),
        data: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.constantFrom(
    '<html>502</html>',
    '',
    'null',
    '[]',
    '{"errcode":0',
    '\u0000',
    '{"errcode":"0"}',
    '{"errcode":""}',
    '{"code":""}',
    '{"Code":""}',
    ' \n<p>',
    '{}',
  ),
);
const statuses = fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 402, 404, 429, 500, 502, 503);

describe('fuzzing', () => {
  it(`envelope parsing of every client: each answer ends as the vendor profile says (${RUNS.envelopes} inputs)`, async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.nat(TARGETS.length - 1), bodies, statuses, async (which, body, status) => {
        ran.envelopes++;
        const target = TARGETS[which]!;
        let attempts = 0;
        const fetch = createFakeFetch((call) => {
          // token endpoints answer properly, so the fuzzed body reaches the business call's envelope check
          const auth = target.profile.auth;
          if (auth.type === 'token-endpoint' && call.path.endsWith(auth.path)) return tokenAnswer(target.profile);
          attempts++;
          return new Response(status === 204 ? null : body, { status, headers: { 'content-type': 'application/json' } });
        });
        // what goes over the wire is UTF-8: compute the expectation from the text the client can read
        const text = status === 204 ? '' : new TextDecoder().decode(new TextEncoder().encode(body));
        const expected = expectedOutcome(target, status, text);
        seen[expected.kind] = (seen[expected.kind] ?? 0) + 1;
        let result: Awaited<ReturnType<Call>> | undefined;
        let thrown: unknown;
        try {
          result = await target.call(fetch)();
        } catch (error) {
          if (!isScrmError(error)) throw new Error(`an untyped error escaped: ${String(error)}`);
          thrown = error;
        }
        const where = `${target.profile.vendor} HTTP ${status} ${JSON.stringify(text.slice(0, 200))}: expected ${expected.kind}`;
        switch (expected.kind) {
          case 'success':
            expect(thrown, where).toBeUndefined();
            expect(result!.error, where).toBeUndefined();
            expect(result!.data, where).toEqual(expected.data);
            expect(attempts, where).toBe(1);
            break;
          case 'api-error': {
            expect(thrown, where).toBeUndefined();
            expect(result!.data, where).toBeUndefined();
            expect(result!.error, where).toEqual(expected.body);
            let error: unknown;
            try {
              unwrap(result!);
            } catch (e) {
              error = e;
            }
            expect(error, where).toBeInstanceOf(ScrmApiError);
            const api = error as ScrmApiError;
            if (expected.code === undefined) expect(typeof api.code, where).toBe('string');
            else expect(api.code, where).toBe(expected.code);
            if (expected.action !== undefined) expect(api.action, where).toBe(expected.action);
            expect(attempts, where).toBe(expected.attempts);
            if (expected.attempts > 1) seen.refreshed = (seen.refreshed ?? 0) + 1;
            break;
          }
          case 'parse-error':
            expect(thrown, where).toBeInstanceOf(ScrmParseError);
            expect(attempts, where).toBe(1);
            break;
          case 'http-error':
            expect(thrown, where).toBeInstanceOf(ScrmHttpError);
            expect((thrown as ScrmHttpError).status, where).toBe(status);
            expect(attempts, where).toBe(1);
            break;
        }
      }),
      { numRuns: RUNS.envelopes },
    );
    expect(ran.envelopes).toBe(RUNS.envelopes);
    // every branch of the oracle was exercised, the token refresh included (each comes tens of times or more per run)
    for (const kind of ['success', 'api-error', 'parse-error', 'http-error', 'refreshed']) expect(seen[kind] ?? 0, kind).toBeGreaterThan(0);
  }, 300_000);

  it(`pagination cursors (${RUNS.cursors} inputs)`, async () => {
    const cursorValues = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -5, max: 50 }),
      fc.constant(null),
      fc.constant(undefined),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(cursorValues, { maxLength: 8 }), fc.constantFrom('cursor', 'offset', 'page'), async (cursors, style) => {
        ran.cursors++;
        let i = 0;
        const pagination =
          style === 'cursor'
            ? ({ style, cursor: { in: 'body', param: 'cursor', next: 'next' }, items: 'list' } as const)
            : style === 'offset'
              ? ({ style, offset: { in: 'body', param: 'offset', next: 'next' }, total: 'total', items: 'list' } as const)
              : ({ style, page: { in: 'query', param: 'current', start: 1 }, total: 'total', items: 'list' } as const);
        const paginator = new Paginator(
          { id: 'fuzz', idempotent: true, pagination },
          'fuzz',
          '/fuzz',
          undefined,
          { maxPages: 20 },
          async () => {
            const next = cursors[i++];
            return { list: i < 20 ? [i] : [], next, total: typeof next === 'number' ? next : 30 };
          },
        );
        let items: unknown[] | undefined;
        await onlyTyped(async () => (items = await paginator.toArray({ maxItems: 50 })));
        // page n holds item n: whatever the cursors did, what was collected is pages 1…k in order, once each
        if (items) expect(items).toEqual(Array.from({ length: items.length }, (_, k) => k + 1));
        if (items) expect(items.length).toBeLessThanOrEqual(20);
      }),
      { numRuns: RUNS.cursors },
    );
    expect(ran.cursors).toBe(RUNS.cursors);
  }, 300_000);

  it(`WeCom callback parsing, signed and unsigned (${RUNS.wecomCallbacks} inputs)`, async () => {
    const config = { token: 'fuzzToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wwfuzz' };
    const receiver = createWecomCallback({ ...config, dedupe: false, toleranceSeconds: 0 });
    const signer = createWecomCallbackSigner(config);
    const content = fc.oneof(
      fc.string(),
      fc
        .dictionary(
          fc.constantFrom('Event', 'ChangeType', 'CreateTime', 'MemChangeList', 'JoinScene', 'InfoType', 'TimeStamp', 'UserID'),
          fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 })),
        )
        .map(
          (o) =>
            `<xml>${Object.entries(o)
              .map(([k, v]) => `<${k}>${Array.isArray(v) ? v.map((x) => `<Item>${x}</Item>`).join('') : `<![CDATA[${v}]]>`}</${k}>`)
              .join('')}</xml>`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(
        content,
        fc.boolean(),
        fc.record({ msg_signature: fc.string(), timestamp: fc.string(), nonce: fc.string() }),
        async (xml, signed, query) => {
          ran.wecomCallbacks++;
          if (signed) {
            const d = signer.event(xml);
            await onlyTyped(() => receiver.parse(d.query, d.body));
          } else {
            // a made-up signature never verifies
            expect(await onlyTyped(() => receiver.parse(query, xml))).toBe('typed');
          }
        },
      ),
      { numRuns: RUNS.wecomCallbacks },
    );
    expect(ran.wecomCallbacks).toBe(RUNS.wecomCallbacks);
  }, 300_000);

  it(`the Weiling receiver (${RUNS.weiling} inputs)`, async () => {
    const config = { token: 'fuzzToken', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', appId: 'wlfuzz' };
    const receiver = createWeilingCallback({ ...config, dedupe: false, toleranceSeconds: 0 });
    const signer = createWeilingCallbackSigner(config);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue(),
          fc.record({
            header: fc.record({ event_type: fc.constantFrom('add_customer', 'user_insert', 'x'), time_stamp: fc.jsonValue() }),
            event: fc.jsonValue(),
          }),
        ),
        fc.boolean(),
        async (payload, signed) => {
          ran.weiling++;
          const d = signed
            ? signer.event(payload)
            : {
                query: { msg_signature: 'a', timestamp: '1', nonce: '1' },
                body: typeof payload === 'string' ? payload : JSON.stringify(payload),
              };
          const outcome = await onlyTyped(() => receiver.parse(d.query, d.body));
          // an unsigned body is never accepted
          if (!signed) expect(outcome).toBe('typed');
        },
      ),
      { numRuns: RUNS.weiling },
    );
    expect(ran.weiling).toBe(RUNS.weiling);
  }, 300_000);

  it(`the Juzibot receiver, every kind (${RUNS.juzibot} inputs)`, async () => {
    const receiver = createJuzibotCallback({ dedupe: false, token: 'fuzz' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('message', 'groupMessage', 'sendResult', 'accountEvent', 'roomJoined', 'roomLoaded' as const),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ data: v, messageId: v, token: v })),
        ),
        async (key, body) => {
          ran.juzibot++;
          const outcome = await onlyTyped(() => receiver.parse(key, body));
          // a message callback is accepted only when it is a JSON object echoing our token
          const parsed = parseJson(body);
          const object = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
          if (!object || (key === 'message' && (parsed as { token?: unknown }).token !== 'fuzz')) expect(outcome).toBe('typed');
        },
      ),
      { numRuns: RUNS.juzibot },
    );
    expect(ran.juzibot).toBe(RUNS.juzibot);
  }, 300_000);

  it('ran at least 100,000 generated inputs, counted as they ran', () => {
    expect(Object.values(ran).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100_000);
  });
});
