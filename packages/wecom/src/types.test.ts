import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AddContactWayRequest, ContactWay, components, paths, WecomApiError, WecomErrorCode, WecomKnownErrorCode } from './index.js';
import { createWecomClient, isWecomError, ScrmApiError, unwrap, wecomErrors } from './index.js';
import type * as root from './index.js';
import type { ChangeExternalContactAddExternalContactEvent, webhooks } from './callback.js';

type AddBody = NonNullable<paths['/cgi-bin/externalcontact/add_contact_way']['post']['requestBody']>['content']['application/json'];
const api = createWecomClient({ corpId: 'ww1', corpSecret: 'secret-x' });

describe('generated types', () => {
  it('types the add_contact_way request body', () => {
    expectTypeOf<AddContactWayRequest>().toEqualTypeOf<components['schemas']['AddContactWayRequest']>();
    expectTypeOf<AddBody>().toMatchTypeOf<{ type: 1 | 2; scene: 1 | 2 }>();
    expectTypeOf<AddContactWayRequest['user']>().toEqualTypeOf<string[] | undefined>();
    // @ts-expect-error scene is required
    const missingScene: AddContactWayRequest = { type: 1 };
    void missingScene;
    // @ts-expect-error type 3 does not exist
    const badType: AddContactWayRequest = { type: 3, scene: 2 };
    void badType;
  });

  it('types responses and the error envelope', async () => {
    const call = () => api.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: 'c' } });
    type Result = Awaited<ReturnType<typeof call>>;
    expectTypeOf<NonNullable<Result['data']>['contact_way']>().toEqualTypeOf<ContactWay>();
    expectTypeOf<NonNullable<Result['error']>>().toEqualTypeOf<components['schemas']['WecomError']>();
    expectTypeOf<NonNullable<Result['error']>['errcode']>().toEqualTypeOf<number>();
    expectTypeOf(unwrap<Result>).returns.toEqualTypeOf<NonNullable<Result['data']>>();
  });

  it('types the fields WeCom always sends as present after unwrap', () => {
    // never called (no request is made): only the types of what the calls would return are checked
    const typesOnly = async () => {
      const created = unwrap(await api.POST('/cgi-bin/externalcontact/add_contact_way', { body: { type: 1, scene: 2 } }));
      expectTypeOf(created.config_id).toEqualTypeOf<string>();
      expectTypeOf(created.errcode).toEqualTypeOf<number>();
      // only returned for QR-code configs (scene 2): stays optional
      expectTypeOf(created.qr_code).toEqualTypeOf<string | undefined>();

      const members = unwrap(await api.GET('/cgi-bin/externalcontact/get_follow_user_list'));
      expectTypeOf(members.follow_user).toEqualTypeOf<string[]>();

      const customer = unwrap(await api.GET('/cgi-bin/externalcontact/get', { params: { query: { external_userid: 'wm1' } } }));
      expectTypeOf(customer.external_contact.external_userid).toEqualTypeOf<string>();
      expectTypeOf(customer.external_contact.name).toEqualTypeOf<string>();
      expectTypeOf(customer.external_contact.type).toEqualTypeOf<number>();
      // third-party apps never get it, WeCom users have none: stays optional
      expectTypeOf(customer.external_contact.unionid).toEqualTypeOf<string | undefined>();
      const follower = customer.follow_user[0];
      if (follower) {
        expectTypeOf(follower.userid).toEqualTypeOf<string>();
        expectTypeOf(follower.createtime).toEqualTypeOf<number>();
        expectTypeOf(follower.add_way).toEqualTypeOf<number>();
        expectTypeOf(follower.state).toEqualTypeOf<string | undefined>();
      }
    };
    void typesOnly;
  });

  it('requires the body where the spec does', () => {
    // @ts-expect-error body is required for add_contact_way
    void (() => api.POST('/cgi-bin/externalcontact/add_contact_way'));
    // @ts-expect-error unknown path
    void (() => api.POST('/cgi-bin/externalcontact/no_such_thing', { body: {} }));
    // GET endpoints take no body and no token parameter: the client injects access_token
    void (() => api.GET('/cgi-bin/externalcontact/get_follow_user_list'));
  });

  it('refuses parameter slots an operation does not have (the generated types leave them out)', () => {
    // @ts-expect-error get_follow_user_list takes no header parameters
    void (() => api.GET('/cgi-bin/externalcontact/get_follow_user_list', { params: { header: { 'x-a': '1' } } }));
    // @ts-expect-error externalcontact/get has no path parameters
    void (() => api.GET('/cgi-bin/externalcontact/get', { params: { query: { external_userid: 'wm1' }, path: { id: '1' } } }));
    // @ts-expect-error add_contact_way has no query parameters besides the token the client sends
    void (() => api.POST('/cgi-bin/externalcontact/add_contact_way', { params: { query: { debug: 1 } }, body: { type: 1, scene: 2 } }));
  });

  it('types error codes as known codes that still accept any number', () => {
    expectTypeOf<42001>().toMatchTypeOf<WecomKnownErrorCode>();
    expectTypeOf<123456>().toMatchTypeOf<WecomErrorCode>();
    expectTypeOf<ScrmApiError['code']>().toEqualTypeOf<number | string>();
    expectTypeOf(wecomErrors['42001']).toMatchTypeOf<
      { name: string; action: 'refresh-token' | 'retry' | 'throttle' | 'fail' } | undefined
    >();
  });

  it('unwrap() gives the 200 schema of the operation, for the promise of the call and for the awaited result', () => {
    type Success = paths['/cgi-bin/externalcontact/get_contact_way']['post']['responses'][200]['content']['application/json'];
    const call = () => api.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: 'c' } });
    const viaPromise = () => unwrap(call());
    const viaResult = async () => unwrap(await call());
    // branded: compared property by property (the schema is an allOf intersection, the data its flattening)
    expectTypeOf(viaPromise).returns.resolves.branded.toEqualTypeOf<Success>();
    expectTypeOf(viaResult).returns.resolves.branded.toEqualTypeOf<Success>();
    expectTypeOf(viaPromise).returns.resolves.not.toBeNullable();
    // the WeCom error envelope is the `default` response: a branch of the result, not of the unwrapped data
    expectTypeOf<NonNullable<Awaited<ReturnType<typeof call>>['error']>>().toEqualTypeOf<components['schemas']['WecomError']>();
  });

  it('isWecomError() narrows code to the WeCom codes: 42001 compiles, the string "42001" does not', () => {
    const e: unknown = new ScrmApiError(
      { code: 42001, vendorMessage: 'access_token expired', action: 'refresh-token', httpStatus: 200 },
      { vendor: 'wecom' },
    );
    expect(isWecomError(e)).toBe(true);
    if (!isWecomError(e)) return;
    expectTypeOf(e).toEqualTypeOf<WecomApiError>();
    expectTypeOf(e.code).toEqualTypeOf<WecomErrorCode>();
    expectTypeOf(e.vendor).toEqualTypeOf<'wecom'>();
    expect(e.code === 42001).toBe(true);
    expect(e.code === 99999).toBe(false);
    // @ts-expect-error WeCom codes are numbers: comparing with a string is a mistake the compiler catches
    expect(e.code === '42001').toBe(false);
    // @ts-expect-error narrowed to wecom
    expect(e.vendor === 'juzibot').toBe(false);
    const other = new ScrmApiError({ code: 42001, vendorMessage: 'm', action: 'fail', httpStatus: 200 }, { vendor: 'weiling' });
    expect(isWecomError(other)).toBe(false);
  });

  it('request(), the escape hatch, types data as unknown', () => {
    const untyped = () => api.request('POST', '/cgi-bin/externalcontact/some_new_api', { body: { a: 1 } });
    expectTypeOf<Awaited<ReturnType<typeof untyped>>['data']>().toBeUnknown();
    expectTypeOf(() => unwrap(untyped())).returns.toEqualTypeOf<Promise<unknown>>();
  });

  it('types the callbacks in the /callback entry, not in the root one a project that only calls the API imports', () => {
    type Payload = webhooks['change_external_contact.add_external_contact']['post']['requestBody']['content']['application/xml'];
    expectTypeOf<Payload>().toEqualTypeOf<ChangeExternalContactAddExternalContactEvent>();
    // @ts-expect-error the root entry has no webhooks
    type FromRoot = root.webhooks;
    // @ts-expect-error nor the payload schemas of the callbacks
    type AliasFromRoot = root.ChangeExternalContactAddExternalContactEvent;
    expectTypeOf<root.AddContactWayRequest>().toEqualTypeOf<AddContactWayRequest>();
  });
});
