import { describe, expectTypeOf, it } from 'vitest';
import type { AddContactWayRequest, ContactWay, WecomErrorCode, WecomKnownErrorCode, components, paths } from './index.js';
import { createWecomClient, type ScrmApiError, unwrap, wecomErrors } from './index.js';

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
    expectTypeOf<NonNullable<Result['data']>['contact_way']>().toEqualTypeOf<ContactWay | undefined>();
    expectTypeOf<NonNullable<Result['error']>>().toEqualTypeOf<components['schemas']['WecomError']>();
    expectTypeOf<NonNullable<Result['error']>['errcode']>().toEqualTypeOf<number>();
    expectTypeOf(unwrap<Result>).returns.toEqualTypeOf<NonNullable<Result['data']>>();
  });

  it('requires the body where the spec does', () => {
    // @ts-expect-error body is required for add_contact_way
    void (() => api.POST('/cgi-bin/externalcontact/add_contact_way'));
    // @ts-expect-error unknown path
    void (() => api.POST('/cgi-bin/externalcontact/no_such_thing', { body: {} }));
    // GET endpoints take no body and no token parameter: the client injects access_token
    void (() => api.GET('/cgi-bin/externalcontact/get_follow_user_list'));
  });

  it('types error codes as known codes that still accept any number', () => {
    expectTypeOf<42001>().toMatchTypeOf<WecomKnownErrorCode>();
    expectTypeOf<123456>().toMatchTypeOf<WecomErrorCode>();
    expectTypeOf<ScrmApiError['code']>().toEqualTypeOf<number | string>();
    expectTypeOf(wecomErrors['42001']).toMatchTypeOf<
      { name: string; action: 'refresh-token' | 'retry' | 'throttle' | 'fail' } | undefined
    >();
  });
});
