// Answer fields the vendor always sends (x-scrm-required-because in the spec) are not optional after unwrap().
import { describe, expectTypeOf, it } from 'vitest';
import { createJijyunClient, type unwrap } from './index.js';

const api = createJijyunClient({ apiKey: 'key-x' });

// What `unwrap()` gives back for a call: the success body. These calls are never made; only their types are read.
type Unwrapped<F extends () => Promise<{ data?: unknown; error?: unknown; response: Response }>> = ReturnType<
  typeof unwrap<Awaited<ReturnType<F>>>
>;

describe('answer fields the vendor always sends are not optional after unwrap()', () => {
  it('types the contact detail (查询外部联系人(详情)): every key is there, a key without a value is null', () => {
    const call = () => api.GET('/v1/openapi/contacts', { params: { query: { contact_id: 'fc5be76571884e2abd25863deedf5f97' } } });
    type Detail = Unwrapped<typeof call>;
    expectTypeOf<Detail['Code']>().toEqualTypeOf<number>();
    expectTypeOf<Detail['Data']['id']>().toEqualTypeOf<string>();
    expectTypeOf<Detail['Data']['email']>().toEqualTypeOf<string | null>();
  });

  it('types the ids of the contact list (查询外部联系人(列表))', () => {
    const call = () =>
      api.POST('/v1/openapi/contacts', { body: { filter: [{ filter_key: 'name', filter_condition: 'equal', filter_value: '访客290' }] } });
    expectTypeOf<Unwrapped<typeof call>['Data'][number]['id']>().toEqualTypeOf<string>();
  });
});
