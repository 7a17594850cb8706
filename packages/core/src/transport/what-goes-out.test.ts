// What the engine sends for one attempt: the credential in the query (appended or replaced, escaped, whatever the
// URL already holds) or in a JSON body, the generated request id, the content type of a body it wrote, and no
// body on a GET. Driven through the engine itself, with URLs openapi-fetch would not build but middlewares can.
import { describe, expect, it } from 'vitest';
import { Engine } from './engine.js';
import type { CallTarget } from './target.js';
import type { Credential, CredentialSource } from '../credentials/source.js';
import { PlainRequest } from '../plain-request.js';
import type { OperationMeta } from '../profile.js';
import { Redactor } from '../redact.js';
import { resolveRetry } from '../retry.js';
import { createFakeFetch, type FakeFetch } from '../testing.js';
import { staticKeyProfile } from '../test-support.js';

const profile = staticKeyProfile();
const source = (credential: Credential): CredentialSource => ({ get: async () => credential, invalidate: async () => {}, refreshOn: [] });
function engine(credential: Credential | undefined) {
  const fetch: FakeFetch = createFakeFetch(() => ({ code: 0 }));
  const e = new Engine({
    profile,
    fetch,
    retry: resolveRetry(false),
    timeoutMs: 1000,
    redactor: new Redactor([]),
    credentials: credential && source(credential),
  });
  return { engine: e, fetch };
}
const target = (method: string, meta?: OperationMeta, authenticated = true): CallTarget => ({ method, path: '/p', meta, authenticated });
const inQuery = (value: string, name = 'key'): Credential => ({ value, in: 'query', name });

/** The URL the fake vendor was called with, for a request to `url`. */
async function sentUrl(url: string, credential: Credential = inQuery('k-0001')): Promise<string> {
  const { engine: e, fetch } = engine(credential);
  await e.execute(new PlainRequest(url), target('GET'));
  return fetch.calls[0]!.url.href;
}

describe('the credential in the query', () => {
  it('is appended after whatever query the URL has', async () => {
    expect(await sentUrl('https://h.invalid/p')).toBe('https://h.invalid/p?key=k-0001');
    expect(await sentUrl('https://h.invalid/p?')).toBe('https://h.invalid/p?key=k-0001');
    expect(await sentUrl('https://h.invalid/p?a=1')).toBe('https://h.invalid/p?a=1&key=k-0001');
    // a parameter whose name merely starts with the credential's is another parameter
    expect(await sentUrl('https://h.invalid/p?keyring=1')).toBe('https://h.invalid/p?keyring=1&key=k-0001');
  });

  it('replaces a value the URL already carries, keeping the other parameters', async () => {
    const url = new URL(await sentUrl('https://h.invalid/p?a=1&key=stale&b=2'));
    expect(url.searchParams.getAll('key')).toEqual(['k-0001']);
    expect(url.searchParams.get('a')).toBe('1');
    expect(url.searchParams.get('b')).toBe('2');
  });

  it('goes into the query, not after the fragment, of a URL with one', async () => {
    const urls: string[] = [];
    const record = new Engine({
      profile,
      fetch: async (input) => {
        urls.push(String(input));
        return new Response('{"code":0}');
      },
      retry: resolveRetry(false),
      timeoutMs: 1000,
      redactor: new Redactor([]),
      credentials: source(inQuery('k-0001')),
    });
    await record.execute(new PlainRequest('https://h.invalid/p?a=1#frag'), target('GET'));
    await record.execute(new PlainRequest('https://h.invalid/p#frag'), target('GET'));
    expect(urls).toEqual(['https://h.invalid/p?a=1&key=k-0001#frag', 'https://h.invalid/p?key=k-0001#frag']);
  });

  it('reaches the vendor intact whatever characters the credential and its name hold', async () => {
    for (const value of ['a+b/c=d', 'x&y=z', 'space here', '100%', '令牌']) {
      const url = new URL(await sentUrl('https://h.invalid/p?a=1', inQuery(value, 'my key&')));
      expect(url.searchParams.get('my key&'), value).toBe(value);
      expect(url.searchParams.get('a')).toBe('1');
    }
  });

  it('is not sent on a call that takes no credential', async () => {
    const { engine: e, fetch } = engine(inQuery('k-0001'));
    await e.execute(new PlainRequest('https://h.invalid/p'), target('GET', undefined, false));
    expect(fetch.calls[0]!.url.href).toBe('https://h.invalid/p');
  });
});

describe('a body the engine writes', () => {
  const inBody: Credential = { value: 'k-0001', in: 'body', name: 'token' };
  const post = async (
    body: string | undefined,
    meta?: OperationMeta,
    credential: Credential | null = inBody,
    headers: Record<string, string> = {},
  ) => {
    const { engine: e, fetch } = engine(credential ?? undefined);
    await e.execute(new PlainRequest('https://h.invalid/p', { method: 'POST', body, headers }), target('POST', meta));
    return fetch.calls[0]!;
  };

  it("adds the credential to the caller's JSON object, as JSON", async () => {
    const call = await post('{"a":1}', undefined, inBody, { 'content-type': 'application/json', 'x-caller': 'kept' });
    expect(call.body).toEqual({ a: 1, token: 'k-0001' });
    expect(call.headers.get('content-type')).toBe('application/json');
    expect(call.headers.get('x-caller')).toBe('kept');
  });

  it('makes a JSON object of its own when the caller sent no body, or one that is not a JSON object', async () => {
    for (const body of [undefined, '', '[1,2]', 'null', 'not json', '"text"']) {
      const call = await post(body, undefined, inBody, { 'content-type': 'text/plain' });
      expect(call.body, String(body)).toEqual({ token: 'k-0001' });
      expect(call.headers.get('content-type')).toBe('application/json');
    }
  });

  it('leaves a body it did not touch, and its content type, as they are', async () => {
    const call = await post('plain words', undefined, null, { 'content-type': 'text/plain' });
    expect(call.body).toBe('plain words');
    expect(call.headers.get('content-type')).toBe('text/plain');
  });

  it('fills a request id the caller left out or empty, and keeps one the caller gave', async () => {
    const meta: OperationMeta = { id: 'send', idempotent: false, requestId: { in: 'body', param: 'rid' } };
    for (const body of [undefined, '{}', '{"rid":""}']) {
      const call = await post(body, meta, null);
      const rid = (call.body as { rid: unknown }).rid;
      expect(rid, String(body)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(call.headers.get('content-type')).toBe('application/json');
    }
    expect((await post('{"rid":"mine","x":1}', meta, null)).body).toEqual({ rid: 'mine', x: 1 });
    expect((await post('{"rid":0}', meta, null)).body).toEqual({ rid: 0 });
    // a body that is JSON but not an object is replaced by one holding the id
    expect(Object.keys((await post('null', meta, null)).body as object)).toEqual(['rid']);
    // with a credential in the body too, both are there, and the id stays the caller's
    expect((await post('{"rid":"mine"}', meta)).body).toEqual({ rid: 'mine', token: 'k-0001' });
  });

  it('sends no body with a GET or HEAD, whatever it was given', async () => {
    for (const method of ['GET', 'HEAD']) {
      const { engine: e, fetch } = engine(inQuery('k-0001'));
      const request = new PlainRequest('https://h.invalid/p', { method: 'POST', body: '{"a":1}' });
      Object.defineProperty(request, 'method', { value: method });
      await e.execute(request, target(method));
      expect(fetch.calls[0]!.body, method).toBeUndefined();
      expect(fetch.calls[0]!.method).toBe(method);
    }
  });
});
