import { describe, expect, it } from 'vitest';
import { checkExtension, vocabularySchema } from './vocabulary.mjs';

/** Every object schema reachable from the vocabulary, with its JSON pointer. */
function* objectSchemas(node: unknown, at = '#'): Generator<[string, Record<string, any>]> {
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, any>;
  if (schema.type === 'object' && schema.properties) yield [at, schema];
  for (const [k, v] of Object.entries(schema)) if (v && typeof v === 'object') yield* objectSchemas(v, `${at}/${k}`);
}

describe('x-scrm vocabulary (vocabulary.schema.json)', () => {
  it('describes every field and closes every object, so that a misspelt field fails', () => {
    for (const [at, schema] of objectSchemas(vocabularySchema.$defs)) {
      for (const [name, prop] of Object.entries<Record<string, any> | boolean>(schema.properties)) {
        if (typeof prop === 'boolean') continue;
        const described = prop.description ?? (prop.$ref ? vocabularySchema.$defs[prop.$ref.split('/').pop()]?.description : undefined);
        // the four places (root, info, operation, schema) are maps of extensions, not closed objects; their members are described
        expect(described, `${at}.${name}`).toBeTruthy();
      }
      if (['/root', '/info', '/operation', '/schema'].some((p) => at.endsWith(p)) || at.includes('/if/')) continue;
      // closed itself, or closed in each if/then branch (a discriminated object: x-scrm-auth by type, x-scrm-pagination by style)
      const deref = (s: Record<string, any>) => (s.$ref ? vocabularySchema.$defs[s.$ref.split('/').pop()] : s);
      const branches = (schema.allOf ?? []).filter((b: Record<string, any>) => b.then).map((b: Record<string, any>) => deref(b.then));
      const closed =
        schema.additionalProperties === false ||
        (branches.length > 0 && branches.every((b: Record<string, any>) => b.additionalProperties === false));
      expect(closed, at).toBe(true);
    }
  });

  it('refuses a misspelt pagination field in any style', () => {
    expect(checkExtension('operation', 'x-scrm-pagination', { style: 'page', page: { in: 'query', param: 'p' }, itmes: 'data' })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: ['itmes'],
          message: expect.stringMatching(/^x-scrm-pagination\.itmes is not a field of x-scrm-pagination \(did you mean items\?\)/),
        }),
      ]),
    );
  });

  describe('a token kind fed by a pushed ticket, with an install page (x-scrm-tokens.<kind>.ticket, .installPage)', () => {
    const kind = (extra: Record<string, unknown>) => ({
      suite: {
        operation: 'getSuiteToken',
        credentials: { suite_id: 'suiteId', suite_ticket: 'suiteTicket' },
        token: { field: 'suite_token', defaultTtlSeconds: 60 },
        inject: { in: 'query', name: 'suite_token' },
        ...extra,
      },
    });
    const ticket = { credential: 'suite_ticket', webhook: 'suite_ticket', field: 'Ticket', ttlSeconds: 1800, intervalSeconds: 600 };
    const installPage = { url: 'https://admin.example.invalid/install', query: { id: 'suiteId', back: 'redirectUri' } };
    const messages = (extra: Record<string, unknown>) => checkExtension('root', 'x-scrm-tokens', kind(extra)).map((p) => p.message);

    it('accepts both, and a ticket without intervalSeconds', () => {
      expect(messages({ ticket, installPage })).toEqual([]);
      expect(messages({ ticket: { ...ticket, intervalSeconds: undefined } })).toEqual([]);
    });

    it.each([
      [
        'a ticket without its lifetime',
        { ticket: { ...ticket, ttlSeconds: undefined } },
        'x-scrm-tokens.suite.ticket is missing ttlSeconds',
      ],
      ['a lifetime of zero', { ticket: { ...ticket, ttlSeconds: 0 } }, 'x-scrm-tokens.suite.ticket.ttlSeconds must be > 0'],
      [
        'a fractional push interval',
        { ticket: { ...ticket, intervalSeconds: 0.5 } },
        'x-scrm-tokens.suite.ticket.intervalSeconds must be integer',
      ],
      ['a ticket without its webhook', { ticket: { ...ticket, webhook: undefined } }, 'x-scrm-tokens.suite.ticket is missing webhook'],
      [
        'a misspelt ticket field',
        { ticket: { ...ticket, ttl: 1800 } },
        expect.stringMatching(/^x-scrm-tokens\.suite\.ticket\.ttl is not a field of x-scrm-tokens\.suite\.ticket/),
      ],
      ['an install page without its query', { installPage: { url: installPage.url } }, 'x-scrm-tokens.suite.installPage is missing query'],
      [
        'an install page over plain http',
        { installPage: { ...installPage, url: 'http://admin.example.invalid/install' } },
        expect.stringMatching(/^x-scrm-tokens\.suite\.installPage\.url must match pattern/),
      ],
      [
        'an install page URL with a query of its own',
        { installPage: { ...installPage, url: 'https://admin.example.invalid/install?x=1' } },
        expect.stringMatching(/^x-scrm-tokens\.suite\.installPage\.url must match pattern/),
      ],
      [
        'an install query value that is no name',
        { installPage: { ...installPage, query: { back: 'redirect-uri' } } },
        expect.stringMatching(/^x-scrm-tokens\.suite\.installPage\.query\.back must match pattern/),
      ],
    ])('refuses %s', (_name, extra, message) => {
      expect(messages(extra)).toEqual([message]);
    });
  });

  it('puts each extension in its place', () => {
    expect(checkExtension('root', 'x-scrm-idempotent', true)[0]?.message).toBe(
      'x-scrm-idempotent does not belong on the root object; it goes on an operation',
    );
  });
});
