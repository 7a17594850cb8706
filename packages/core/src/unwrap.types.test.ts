// The types of unwrap(): for a client typed by a spec, the success data of the operation — its 200 JSON exactly,
// without undefined and without the error envelope (the `default` response) — for the result and for its promise.
import { describe, expectTypeOf, it } from 'vitest';
import { createScrmClient } from './client.js';
import { acmeProfile, fakeAcme, ok } from './test-support.js';
import { unwrap } from './unwrap.js';

interface Thing {
  id: string;
  note?: string | null;
}
interface Envelope {
  code: number;
  msg: string;
}
type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
// the shape openapi-typescript emits for an operation with a 200 answer and the envelope as `default`
interface paths {
  '/things/get': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get?: never;
    put?: never;
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'application/json': { id: string } } };
      responses: { 200: Json<{ code: number; msg?: string; thing: Thing }>; default: Json<Envelope> };
    };
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/things/nullable': {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<{ thing: Thing | null }>; default: Json<Envelope> };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
type Success = paths['/things/get']['post']['responses'][200]['content']['application/json'];

const api = createScrmClient<paths, {}>(
  acmeProfile,
  { appId: 'a', appSecret: 's' },
  { fetch: fakeAcme(() => ok({ thing: { id: 't1' } })).fetch },
);
const call = () => api.POST('/things/get', { body: { id: 't1' } });

describe('unwrap() types', () => {
  it('gives the 200 schema of the operation for the awaited result', async () => {
    const data = unwrap(await call());
    expectTypeOf(data).toEqualTypeOf<Success>();
    expectTypeOf(data).not.toBeNullable();
    expectTypeOf(data.thing).toEqualTypeOf<Thing>();
  });

  it('gives a promise of the same for the promise of the call', () => {
    const pending = unwrap(call());
    expectTypeOf(pending).toEqualTypeOf<Promise<Success>>();
    expectTypeOf(pending).resolves.not.toMatchTypeOf<Envelope>();
    expectTypeOf(pending).resolves.not.toBeNullable();
  });

  it('has no error branch: a field only the envelope has is not there', async () => {
    const data = await unwrap(call());
    // @ts-expect-error `errcode`-like fields of the envelope are not part of the success data
    void data.nope;
    // @ts-expect-error nor is the data possibly undefined: no `?.` needed, and none allowed to be assumed away
    const missing: undefined = data;
    void missing;
  });

  it('keeps what the schema itself allows (a nullable field stays nullable)', async () => {
    const data = await unwrap(api.GET('/things/nullable'));
    expectTypeOf(data).toEqualTypeOf<{ thing: Thing | null }>();
  });

  it('can be passed to then() as a function', () => {
    expectTypeOf(call().then(unwrap)).toEqualTypeOf<Promise<Success>>();
  });

  it('leaves an untyped (any) result untyped', () => {
    expectTypeOf(unwrap({} as any)).toBeAny();
  });

  it('refuses what is neither a result nor its promise', () => {
    // @ts-expect-error not a call result
    void (() => unwrap({ data: 1 }));
    // @ts-expect-error not the promise of one
    void (() => unwrap(Promise.resolve(1)));
  });
});
