// The WeCom client's untyped escape hatch, request(), against the sandbox as a user meets it: the sandbox checks
// the access_token the client fetched and injected, answers WeCom's own error codes (typed by isWecomError) and
// fires faults the hatch retries like the typed methods do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomClient, isWecomError, unwrap } from '@scrm-openapi/wecom';
import { startMockServer, type MockServer } from './server.js';

let server: MockServer;
let wecom: ReturnType<typeof createWecomClient>;

beforeAll(async () => {
  server = await startMockServer();
  wecom = createWecomClient({
    ...(server.credentials.wecom as { corpId: string; corpSecret: string }),
    baseUrl: `${server.url}/wecom`,
    retry: { maxRetries: 2, baseDelayMs: 1, throttleDelayMs: 1 },
  });
});
afterAll(() => server?.close());

const caught = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('WeCom request(): an existing path called through the escape hatch', () => {
  it('creates and reads back a contact way, with the token injected for it', async () => {
    const before = server.stats().requests['wecom.getToken'] ?? 0;
    const created = (await unwrap(
      wecom.request('POST', '/cgi-bin/externalcontact/add_contact_way', { body: { type: 1, scene: 2, user: ['lisi'], state: 'hatch' } }),
    )) as { config_id: string };
    expect(created.config_id).toEqual(expect.any(String));
    const { data, error, response } = await wecom.request('POST', '/cgi-bin/externalcontact/get_contact_way', {
      body: { config_id: created.config_id },
    });
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ errcode: 0, contact_way: { config_id: created.config_id, state: 'hatch', user: ['lisi'] } });
    // a real fetch: the returned url is the one called, the token in it redacted
    expect(response.url).toContain('access_token=[REDACTED]');
    expect((server.stats().requests['wecom.getToken'] ?? 0) - before).toBeLessThanOrEqual(1);
  });

  it("turns WeCom's error code into a typed error: isWecomError() narrows it, code 41044", async () => {
    const error = await caught(unwrap(wecom.request('POST', '/cgi-bin/externalcontact/get_contact_way', { body: { config_id: 'nope' } })));
    expect(isWecomError(error)).toBe(true);
    if (!isWecomError(error)) return;
    expect(error.code === 41044).toBe(true);
    expect(error).toMatchObject({ vendor: 'wecom', operation: 'getContactWay', path: '/cgi-bin/externalcontact/get_contact_way' });
  });

  it('retries a read (GET) on a busy answer, as the typed GET does', async () => {
    await unwrap(wecom.request('GET', '/cgi-bin/externalcontact/get_follow_user_list'));
    const before = server.stats().requests['wecom.getFollowUserList'] ?? 0;
    server.injectFault({ vendor: 'wecom', operation: 'getFollowUserList', kind: 'busy', count: 2 });
    const data = (await unwrap(wecom.request('GET', '/cgi-bin/externalcontact/get_follow_user_list'))) as { follow_user: string[] };
    expect(Array.isArray(data.follow_user)).toBe(true);
    expect((server.stats().requests['wecom.getFollowUserList'] ?? 0) - before).toBe(3);
  });
});
