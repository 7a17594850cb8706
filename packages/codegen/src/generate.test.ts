import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProfile, compileModel, generate, SpecError } from './index.js';

const tiny = parse(await readFile(new URL('../test/fixtures/tiny.yaml', import.meta.url), 'utf8'));
const tokens = parse(await readFile(new URL('../test/fixtures/tokens.yaml', import.meta.url), 'utf8'));

async function generateFrom(spec: unknown) {
  const dir = await mkdtemp(path.join(tmpdir(), 'scrm-codegen-'));
  const specPath = path.join(dir, 'openapi.json');
  await writeFile(specPath, JSON.stringify(spec));
  const outDir = path.join(dir, 'out');
  await generate({ specPath, vendor: 'tiny', outDir });
  const read = (f: string) => readFile(path.join(outDir, f), 'utf8');
  return { outDir, specPath, read };
}

describe('codegen', () => {
  it('takes the vendor from x-scrm-vendor and refuses a --vendor that disagrees', async () => {
    const { read } = await generateFrom({ ...tiny, 'x-scrm-vendor': 'tiny' });
    expect(await read('profile.ts')).toContain('vendor: "tiny"');
    const dir = await mkdtemp(path.join(tmpdir(), 'scrm-codegen-'));
    const specPath = path.join(dir, 'openapi.json');
    await writeFile(specPath, JSON.stringify({ ...tiny, 'x-scrm-vendor': 'other' }));
    await expect(generate({ specPath, vendor: 'tiny', outDir: path.join(dir, 'out') })).rejects.toThrow(/x-scrm-vendor is other, not tiny/);
    await expect(generate({ specPath, outDir: path.join(dir, 'out') })).resolves.toBeDefined();
  });

  it('compiles x-scrm-* into the runtime profile', () => {
    const profile = buildProfile(tiny, 'tiny') as Record<string, any>;
    expect(profile.auth).toMatchObject({ method: 'GET', path: '/token', credentialsIn: 'query', refreshOn: [7] });
    expect(profile.errorActions).toEqual({ '7': 'refresh-token', '9': 'retry' });
    expect(profile.operations['POST /things/list']).toMatchObject({
      id: 'listThings',
      idempotent: true,
      pagination: { style: 'cursor', cursor: { in: 'body', param: 'cursor', next: 'data.next' }, items: 'data.things' },
    });
    expect(profile.secretParams).toEqual(['key', 'tok']);
  });

  it('compiles several token kinds and the kind each operation carries (x-scrm-tokens, x-scrm-token)', async () => {
    const profile = buildProfile(tokens, 'tokens') as Record<string, any>;
    expect(profile.auth.kind).toBe('corp');
    expect(profile.tokens.suite).toMatchObject({
      method: 'POST',
      path: '/suite/token',
      credentialsIn: 'body',
      inject: { in: 'query', name: 'suite_token' },
    });
    expect(profile.tokens['suite-corp']).toMatchObject({
      path: '/suite/corp_token',
      provides: 'corp',
      carries: 'suite',
      secrets: ['code'],
    });
    expect(profile.tokens['suite-corp'].inject).toBeUndefined();
    // the pushed ticket and the install page travel as declared; a kind without them has neither
    expect(profile.tokens.suite.ticket).toEqual({
      credential: 'suite_ticket',
      webhook: 'suite_ticket',
      field: 'Ticket',
      ttlSeconds: 180,
      intervalSeconds: 60,
    });
    expect(profile.tokens.suite.installPage).toEqual({
      url: 'https://admin.tokens.invalid/install',
      query: { app: 'suiteId', code: 'preAuthCode', back: 'redirectUri', state: 'state' },
    });
    expect(Object.keys(profile.tokens.suite.installPage.query)).toEqual(['app', 'code', 'back', 'state']);
    expect(JSON.parse(JSON.stringify(profile.tokens['suite-corp']))).not.toHaveProperty('ticket');
    expect(JSON.parse(JSON.stringify(profile.tokens['suite-corp']))).not.toHaveProperty('installPage');
    expect(profile.operations['POST /suite/corp_token']).toMatchObject({ token: 'suite', authenticated: false });
    // operations without x-scrm-token carry the default kind and compile exactly as before
    expect(profile.operations['GET /things/list']).toEqual({ id: 'listThings', idempotent: true });
    // every kind's secrets and the name each is sent under are redacted
    expect(profile.secretParams).toEqual(['code', 'key', 'suite_secret', 'suite_ticket', 'suite_token', 'tok']);
    const { specPath } = await generateFrom({ ...tokens, 'x-scrm-vendor': 'tiny' });
    await expect(await readFile(path.join(path.dirname(specPath), 'profile.json'), 'utf8')).toMatchFileSnapshot(
      '../test/snapshots/tokens/profile.json',
    );
  });

  it("leaves the query parameter of an operation's token kind optional in the types, and the spec as it was", async () => {
    const spec = { ...tokens, 'x-scrm-vendor': 'tiny' };
    const before = JSON.stringify(spec);
    const { read } = await generateFrom(spec);
    const types = await read('openapi.ts');
    expect(types).toMatch(/suite_token\?: string;/);
    expect(types).not.toMatch(/suite_token: string;/);
    expect(types).toContain('a client that manages the `suite` token kind fills it in');
    expect(JSON.stringify(spec)).toBe(before);
  });

  it('compiles a spec without x-scrm-tokens with neither tokens nor token fields', () => {
    const profile = JSON.parse(JSON.stringify(buildProfile(tiny, 'tiny')));
    expect(profile).not.toHaveProperty('tokens');
    expect(profile.auth).not.toHaveProperty('kind');
    for (const meta of Object.values<Record<string, unknown>>(profile.operations)) expect(meta).not.toHaveProperty('token');
  });

  it.each([
    [
      'a misspelt token kind',
      (s: any) => (s.paths['/suite/corp_token'].post['x-scrm-token'] = 'suit'),
      /POST \/suite\/corp_token: x-scrm-token suit is not a token kind \(did you mean suite\?\); known: corp, suite, suite-corp/,
    ],
    [
      'an operation naming a kind that provides another',
      (s: any) => (s.paths['/suite/corp_token'].post['x-scrm-token'] = 'suite-corp'),
      /x-scrm-token suite-corp provides corp; name corp instead/,
    ],
    [
      'a token kind the operation does not declare as a query parameter',
      (s: any) => (s.paths['/suite/corp_token'].post.parameters = []),
      /x-scrm-token suite is sent as the query parameter suite_token, which the operation does not declare/,
    ],
    [
      'a kind providing an unknown kind',
      (s: any) => (s['x-scrm-tokens']['suite-corp'].provides = 'crop'),
      /x-scrm-tokens\.suite-corp\.provides: crop is not a token kind \(did you mean corp\?\)/,
    ],
    [
      'a kind that provides another and has an inject of its own',
      (s: any) => (s['x-scrm-tokens']['suite-corp'].inject = { in: 'query', name: 'x' }),
      /drop its inject/,
    ],
    [
      'a kind without inject that provides nothing',
      (s: any) => delete s['x-scrm-tokens'].suite.inject,
      /x-scrm-tokens\.suite is missing inject/,
    ],
    [
      'a token kind with an unknown operation',
      (s: any) => (s['x-scrm-tokens'].suite.operation = 'nope'),
      /x-scrm-tokens\.suite\.operation nope is not an operation/,
    ],
    [
      'a misspelt field of a token kind',
      (s: any) => (s['x-scrm-tokens'].suite.carry = 'corp'),
      /x-scrm-tokens\.suite\.carry is not a field/,
    ],
    [
      'a ticket sent as no credential of the kind',
      (s: any) => (s['x-scrm-tokens'].suite.ticket.credential = 'suite_tiket'),
      /x-scrm-tokens\.suite\.ticket\.credential: suite_tiket is not a parameter of credentials \(did you mean suite_ticket\?\); known: suite_id, suite_secret, suite_ticket/,
    ],
    [
      'a ticket pushed by a webhook the spec does not have',
      (s: any) => (s['x-scrm-tokens'].suite.ticket.webhook = 'suite_tickt'),
      /x-scrm-tokens\.suite\.ticket\.webhook: suite_tickt is not a webhook of the spec \(did you mean suite_ticket\?\)/,
    ],
    [
      "a ticket field the webhook's payload does not declare",
      (s: any) => (s['x-scrm-tokens'].suite.ticket.field = 'SuiteTicket'),
      /x-scrm-tokens\.suite\.ticket\.field: the payload of webhook suite_ticket declares no field SuiteTicket/,
    ],
    [
      'a ticket pushed no sooner than it expires',
      (s: any) => (s['x-scrm-tokens'].suite.ticket.intervalSeconds = 180),
      /x-scrm-tokens\.suite\.ticket: intervalSeconds 180 must be less than ttlSeconds 180/,
    ],
    [
      'a secret in the install link',
      (s: any) => (s['x-scrm-tokens'].suite.installPage.query.app = 'suiteSecret'),
      /x-scrm-tokens\.suite\.installPage\.query\.app: suiteSecret is a secret of the kind, which never goes into a link/,
    ],
    [
      'an install link value that is neither a credential nor a link value',
      (s: any) => (s['x-scrm-tokens'].suite.installPage.query.back = 'redirectUrl'),
      /x-scrm-tokens\.suite\.installPage\.query\.back: redirectUrl is not a value of an install link \(did you mean redirectUri\?\); known: suiteId, preAuthCode, redirectUri, state/,
    ],
    [
      'an install link that does not say where to come back',
      (s: any) => delete s['x-scrm-tokens'].suite.installPage.query.back,
      /x-scrm-tokens\.suite\.installPage\.query: no parameter carries redirectUri/,
    ],
  ])('refuses a token declaration with %s', (_name, mutate, message) => {
    const spec = structuredClone(tokens);
    mutate(spec);
    expect(() => buildProfile(spec, 'tokens')).toThrow(message);
  });

  it('compiles x-scrm-at-least-one-of into the operation, following parameter $refs', () => {
    const spec = structuredClone(tiny);
    spec.components.parameters = { Alt: { name: 'alt', in: 'query', schema: { type: 'string' }, example: 'a' } };
    spec.paths['/things/list'].parameters = [{ name: 'other', in: 'query', schema: { type: 'string' }, example: 'o' }];
    spec.paths['/things/list'].post.parameters = [{ $ref: '#/components/parameters/Alt' }];
    spec.paths['/things/list'].post['x-scrm-at-least-one-of'] = ['alt', 'other'];
    const profile = buildProfile(spec, 'tiny') as Record<string, any>;
    expect(profile.operations['POST /things/list'].atLeastOneOf).toEqual(['alt', 'other']);
    expect(profile.operations['GET /token'].atLeastOneOf).toBeUndefined();
  });

  it('takes the first of several servers as the base URL, and an operation server only when it differs', () => {
    const spec = structuredClone(tiny);
    spec.servers = [{ url: 'https://api.tiny.invalid' }, { url: 'https://api.tiny-new.invalid', description: 'newer domain' }];
    spec.paths['/things/list'].servers = [{ url: 'https://group.tiny.invalid' }, { url: 'https://group.tiny-new.invalid' }];
    const profile = buildProfile(spec, 'tiny') as Record<string, any>;
    expect(profile.baseUrl).toBe('https://api.tiny.invalid');
    expect(profile.operations['POST /things/list'].server).toBe('https://group.tiny.invalid');
    expect(profile.operations['GET /token'].server).toBeUndefined();
  });

  it('is deterministic: the same spec gives the same bytes', async () => {
    const a = await generateFrom(tiny);
    const b = await generateFrom(tiny);
    for (const f of [
      'openapi.ts',
      'webhooks.ts',
      'profile.ts',
      'errors.ts',
      'schemas.ts',
      'webhook-schemas.ts',
      'provenance.ts',
      'callbacks.ts',
      'validators.ts',
    ]) {
      expect(await a.read(f)).toBe(await b.read(f));
      expect(await a.read(f)).toMatch(/^\/\/ This file is generated by @scrm-openapi\/codegen/);
    }
  });

  it('emits every file of a small spec exactly as the snapshots record', async () => {
    const { read, specPath } = await generateFrom({ ...tiny, 'x-scrm-vendor': 'tiny' });
    for (const f of [
      'openapi.ts',
      'schemas.ts',
      'webhooks.ts',
      'webhook-schemas.ts',
      'profile.ts',
      'errors.ts',
      'provenance.ts',
      'callbacks.ts',
      'validators.ts',
    ]) {
      await expect(await read(f)).toMatchFileSnapshot(`../test/snapshots/tiny/${f}`);
    }
    await expect(await readFile(path.join(path.dirname(specPath), 'profile.json'), 'utf8')).toMatchFileSnapshot(
      '../test/snapshots/tiny/profile.json',
    );
  });

  it('types the operations and the callbacks in two files, each with only the components it reaches', async () => {
    const { read } = await generateFrom(tiny);
    const api = await read('openapi.ts');
    const hooks = await read('webhooks.ts');
    expect(api).toContain('"/things/list": {');
    expect(api).not.toContain('export interface webhooks');
    expect(api).not.toMatch(/ThingChanged|onThingChanged/);
    expect(hooks).toContain('export interface webhooks {\n    thingChanged: {');
    expect(hooks).toContain('onThingChanged: {');
    expect(hooks).not.toMatch(/ThingPage|listThings|"\/token"/);
    expect(await read('schemas.ts')).toContain(`export type ThingPage = components['schemas']["ThingPage"];`);
    expect(await read('schemas.ts')).not.toContain('ThingChanged');
    const hookSchemas = await read('webhook-schemas.ts');
    expect(hookSchemas).toContain(`import type { components } from './webhooks.js';`);
    expect(hookSchemas).toContain(`export type ThingChanged = components['schemas']["ThingChanged"];`);
    expect(hookSchemas).not.toContain('ThingPage');
    expect(await read('callbacks.ts')).toContain(`import type { webhooks } from './webhooks.js';`);
  });

  it('reads the fields of a payload envelope that comes in two forms (oneOf), but discriminates by constants every form has', async () => {
    const spec = structuredClone(tiny);
    const envelope = {
      oneOf: [
        { type: 'object', properties: { CreateTime: { type: 'integer' }, Form: { const: 'app' } } },
        { type: 'object', properties: { TimeStamp: { type: 'integer' }, Form: { const: 'suite' } } },
      ],
    };
    spec.components.schemas.ThingChanged = { allOf: [envelope, spec.components.schemas.ThingChanged] };
    const callbacks = await (await generateFrom(spec)).read('callbacks.ts');
    expect(callbacks).toContain('integers: ["CreateTime", "TimeStamp", "id"],');
    expect(callbacks).toContain('match: {\n        Event: "thing",\n        ChangeType: "changed",\n      },');
  });

  it('types a component that both the operations and a callback reach in both files', async () => {
    const spec = structuredClone(tiny);
    spec.components.schemas.ThingChanged.properties.error = { $ref: '#/components/schemas/Error' };
    const { read } = await generateFrom(spec);
    for (const f of ['openapi.ts', 'webhooks.ts']) expect(await read(f)).toMatch(/\n {8}Error: \{\n {12}code: number;/);
    for (const f of ['schemas.ts', 'webhook-schemas.ts'])
      expect(await read(f)).toContain(`export type Error = components['schemas']["Error"];`);
  });

  it('leaves out the header, path and cookie slots of an operation without parameters, and keeps every slot beside a parameter', async () => {
    const { read } = await generateFrom(tiny);
    const api = await read('openapi.ts');
    const operation = (id: string) => api.slice(api.indexOf(`    ${id}: {`), api.indexOf('responses:', api.indexOf(`    ${id}: {`)));
    // listThings takes no parameters: `query?: never` alone refuses any slot
    expect(operation('listThings')).toMatch(/parameters: \{\n\s+query\?: never;\n\s+\};/);
    // getToken has a query: the absent slots stay, they are what refuses `path` or `header` beside it
    expect(operation('getToken')).toMatch(/header\?: never;\n\s+path\?: never;\n\s+cookie\?: never;/);
  });

  it('writes the compiled model (runtime profile and sandbox facts) beside the bundled spec', async () => {
    const sandbox = { parameterError: 5, missingToken: { status: 401 }, successMessage: 'ok' };
    const { specPath } = await generateFrom({ ...tiny, 'x-scrm-sandbox': sandbox });
    const model = JSON.parse(await readFile(path.join(path.dirname(specPath), 'profile.json'), 'utf8'));
    expect(model).toEqual({ profile: JSON.parse(JSON.stringify(buildProfile(tiny, 'tiny'))), sandbox });
  });

  it('refuses sandbox token facts for a kind the spec does not declare, and a provider receiver that is no credential', () => {
    expect(() => compileModel({ ...tiny, 'x-scrm-sandbox': { tokens: { suite: { invalidToken: 5 } } } }, 'tiny')).toThrow(
      /x-scrm-sandbox\.tokens\.suite: no such token kind/,
    );
    const callback = { token: 't', encodingAESKey: 'a'.repeat(43), receiveId: 'suiteId' };
    expect(() => compileModel({ ...tiny, 'x-scrm-sandbox': { provider: { callback } } }, 'tiny')).toThrow(
      /receiveId: suiteId is no credential/,
    );
  });

  it('emits the error-code union that still accepts unknown numbers', async () => {
    const errors = await (await generateFrom(tiny)).read('errors.ts');
    expect(errors).toContain('export type TinyKnownErrorCode =\n  | 5\n  | 7\n  | 9;');
    expect(errors).toContain('export type TinyErrorCode = TinyKnownErrorCode | (number & {});');
  });

  it('emits the typed API error of the vendor and its guard, built on core', async () => {
    const errors = await (await generateFrom(tiny)).read('errors.ts');
    expect(errors).toContain("import { apiErrorGuard } from '@scrm-openapi/core/internal';");
    expect(errors).toContain('export type TinyApiError = ScrmApiErrorOf<TinyErrorCode, "tiny">;');
    expect(errors).toContain(
      'export const isTinyError: (error: unknown) => error is TinyApiError = apiErrorGuard<TinyApiError>("tiny", ["number"]);',
    );
  });

  it('types string codes as the runtime hands them over: numeric strings as numbers, other strings as strings', async () => {
    const spec = structuredClone(tiny);
    spec['x-scrm-errors'].push(
      { code: '11', name: 'numeric string', meaning: 'x', action: 'fail' },
      { code: 'E_AUTH', name: 'text code', meaning: 'x', action: 'fail' },
    );
    const errors = await (await generateFrom(spec)).read('errors.ts');
    expect(errors).toContain('export type TinyKnownErrorCode =\n  | 5\n  | 7\n  | 9\n  | 11\n  | "E_AUTH";');
    expect(errors).toContain('export type TinyErrorCode = TinyKnownErrorCode | (number & {}) | (string & {});');
    expect(errors).toContain('apiErrorGuard<TinyApiError>("tiny", ["number", "string"]);');
    // the catalog keeps the codes as the spec writes them
    expect(errors).toContain('  E_AUTH: {');
  });

  it('emits the item type of nested pagination paths', async () => {
    const profile = await (await generateFrom(tiny)).read('profile.ts');
    expect(profile).toContain(
      'item: NonNullable<NonNullable<NonNullable<SuccessBody<paths["/things/list"]["post"]>>["data"]>["things"]>[number];',
    );
  });

  it.each([
    ['x-scrm-idempotent', (s: any) => delete s.paths['/things/list'].post['x-scrm-idempotent'], /x-scrm-idempotent/],
    ['x-scrm-source', (s: any) => delete s.paths['/things/list'].post['x-scrm-source'], /x-scrm-source/],
    [
      'an unknown error action',
      (s: any) => (s['x-scrm-errors'][0].action = 'panic'),
      /x-scrm-errors\[0\]\.action must be one of refresh-token, retry, throttle, fail, not "panic"/,
    ],
    [
      'a misspelt pagination style',
      (s: any) => (s.paths['/things/list'].post['x-scrm-pagination'].style = 'cursr'),
      /POST \/things\/list: x-scrm-pagination\.style must be one of cursor, offset, page, not "cursr"/,
    ],
    [
      'a misspelt extension',
      (s: any) => (s.paths['/things/list'].post['x-scrm-paginaton'] = {}),
      /POST \/things\/list: x-scrm-paginaton is not an x-scrm extension \(did you mean x-scrm-pagination\?\)/,
    ],
    [
      'a misspelt field',
      (s: any) => (s['x-scrm-auth'].token.expiresin = 'ttl'),
      /root: x-scrm-auth\.token\.expiresin is not a field of x-scrm-auth\.token \(did you mean expiresIn\?\)/,
    ],
    [
      'a rate-limit group without its rule',
      (s: any) => (s.paths['/things/list'].post['x-scrm-rate-limit'] = { group: 'bulk' }),
      /POST \/things\/list: x-scrm-rate-limit\.group bulk has no x-scrm-rate-limits rule/,
    ],
    [
      'a credential on token-endpoint auth',
      (s: any) => (s.paths['/things/list'].post['x-scrm-credential'] = { use: 'key' }),
      /x-scrm-credential needs static auth/,
    ],
    [
      'x-scrm-at-least-one-of naming a parameter the operation does not have',
      (s: any) => {
        s.paths['/token'].get.parameters.push({ name: 'alt', in: 'query', schema: { type: 'string' }, example: 'a' });
        s.paths['/token'].get['x-scrm-at-least-one-of'] = ['alt', 'other'];
      },
      /GET \/token: x-scrm-at-least-one-of names other, which is not a query parameter of the operation/,
    ],
    [
      'x-scrm-at-least-one-of naming a required parameter',
      (s: any) => {
        s.paths['/token'].get.parameters.push({ name: 'alt', in: 'query', schema: { type: 'string' }, example: 'a' });
        s.paths['/token'].get['x-scrm-at-least-one-of'] = ['key', 'alt'];
      },
      /GET \/token: x-scrm-at-least-one-of names key, which is already required/,
    ],
    ['a duplicate error code', (s: any) => s['x-scrm-errors'].push({ code: 7, name: 'x', meaning: 'x', action: 'fail' }), /duplicate/],
    ['an unknown token operation', (s: any) => (s['x-scrm-auth'].operation = 'nope'), /not an operation/],
  ])('refuses a spec with %s', (_name, mutate, message) => {
    const spec = structuredClone(tiny);
    mutate(spec);
    expect(() => buildProfile(spec, 'tiny')).toThrow(SpecError);
    expect(() => buildProfile(spec, 'tiny')).toThrow(message);
  });
});
