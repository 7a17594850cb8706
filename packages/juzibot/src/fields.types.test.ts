// Answer fields the vendor always sends (x-scrm-required-because in the spec) are not optional after unwrap().
import { describe, expectTypeOf, it } from 'vitest';
import { createJuzibotClient, type unwrap } from './index.js';

const api = createJuzibotClient({ token: 'token-x', groupToken: 'group-token-x' });

// What `unwrap()` gives back for a call: the success body. These calls are never made; only their types are read.
type Unwrapped<F extends () => Promise<{ data?: unknown; error?: unknown; response: Response }>> = ReturnType<
  typeof unwrap<Awaited<ReturnType<F>>>
>;

describe('answer fields the vendor always sends are not optional after unwrap()', () => {
  it('types the channel list items (渠道) with their state and configId', () => {
    const call = () => api.GET('/api/v1/channel/list', { params: { query: { current: 1, pageSize: 100 } } });
    type Page = Unwrapped<typeof call>;
    expectTypeOf<Page['data']>().toBeArray();
    expectTypeOf<Page['data'][number]['state']>().toEqualTypeOf<string>();
    expectTypeOf<Page['data'][number]['configId']>().toEqualTypeOf<string>();
    // the vendor's 必定存在 marks for the other fields could not be read: they stay optional
    expectTypeOf<Page['data'][number]['remark']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Page['errcode']>().toEqualTypeOf<number>();
  });

  it('types the config_id of a created contact way, and keeps qr_code optional (scene 2 only)', () => {
    const call = () => api.POST('/api/v1/contactWay/add', { body: { type: 1, scene: 2, user: ['zhangsan'] } });
    type Created = Unwrapped<typeof call>;
    expectTypeOf<Created['config_id']>().toEqualTypeOf<string>();
    expectTypeOf<Created['qr_code']>().toEqualTypeOf<string | undefined>();
  });

  it('types the customer list items as the English page marks them', () => {
    const call = () => api.GET('/api/v1/customer/list', { params: { query: { current: 1, pageSize: 100 } } });
    type Customer = Unwrapped<typeof call>['data'][number];
    expectTypeOf<Customer['externalUserId']>().toEqualTypeOf<string>();
    expectTypeOf<Customer['followUser'][number]['userId']>().toEqualTypeOf<string>();
    expectTypeOf<Customer['unionId']>().toEqualTypeOf<string | undefined>();
  });

  it('types the hosted accounts of the group-level bot list', () => {
    const call = () => api.GET('/bot/list');
    type Bots = Unwrapped<typeof call>;
    expectTypeOf<Bots['code']>().toEqualTypeOf<number>();
    expectTypeOf<Bots['data'][number]['weixin']>().toEqualTypeOf<string>();
  });
});
