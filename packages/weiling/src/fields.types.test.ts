// Answer fields the vendor always sends (x-scrm-required-because in the spec) are not optional after unwrap().
import { describe, expectTypeOf, it } from 'vitest';
import { createWeilingClient, type unwrap } from './index.js';

const api = createWeilingClient({ appId: 'app-x', appSecret: 'secret-x' });

// What `unwrap()` gives back for a call: the success body. These calls are never made; only their types are read.
type Unwrapped<F extends () => Promise<{ data?: unknown; error?: unknown; response: Response }>> = ReturnType<
  typeof unwrap<Awaited<ReturnType<F>>>
>;

describe('answer fields the vendor always sends are not optional after unwrap()', () => {
  it('types the contact batch (联系人批量详情) answer down to contact_list', () => {
    const call = () => api.POST('/openapi/contact/batch', { body: { contact_ids: ['XwP-Z7Car'] } });
    type Batch = Unwrapped<typeof call>;
    expectTypeOf<Batch['code']>().toEqualTypeOf<number | string>();
    expectTypeOf<Batch['msg']>().toEqualTypeOf<string>();
    expectTypeOf<Batch['data']['contact_list']>().toBeArray();
  });

  it('types what the user/get page marks 必需, and keeps the rest optional', () => {
    const call = () => api.GET('/openapi/user/get', { params: { query: { userid: 'u1' } } });
    type User = Unwrapped<typeof call>['data'];
    expectTypeOf<User['status']>().toEqualTypeOf<number>();
    expectTypeOf<User['position']>().toEqualTypeOf<string | undefined>();
  });

  it('types the id of a created company', () => {
    const call = () => api.POST('/openapi/company/create', { body: { create_user_id: 'u1', company_name: '上海华信科技有限公司' } });
    expectTypeOf<Unwrapped<typeof call>['data']['company_id']>().toEqualTypeOf<string>();
  });
});
