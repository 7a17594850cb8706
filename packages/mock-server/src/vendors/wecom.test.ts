// The WeCom 通讯录 state: the follow users of 客户联系 are members of the 通讯录, with names and departments that exist;
// user/list_id pages over every member–department pair; member tags list their members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomClient, unwrap } from '@scrm-openapi/wecom';
import { startMockServer, type MockServer } from '../server.js';

let server: MockServer;
let wecom: ReturnType<typeof createWecomClient>;
beforeAll(async () => {
  server = await startMockServer({ vendors: ['wecom'] });
  wecom = createWecomClient({ ...server.credentials.wecom, baseUrl: `${server.url}/wecom`, retry: false });
});
afterAll(() => server?.close());

describe('wecom sandbox 通讯录', () => {
  it('resolves each follow user of get_follow_user_list through user/get to a named member whose departments exist', async () => {
    const { follow_user } = unwrap(await wecom.GET('/cgi-bin/externalcontact/get_follow_user_list'));
    expect(follow_user.length).toBeGreaterThan(0);
    const { department } = unwrap(await wecom.GET('/cgi-bin/department/list', {}));
    const known = new Set(department.map((d) => d.id));
    for (const userid of follow_user) {
      const member = unwrap(await wecom.GET('/cgi-bin/user/get', { params: { query: { userid } } }));
      expect(member.userid).toBe(userid);
      expect(member.name, userid).toMatch(/\S/);
      expect(member.department?.length, userid).toBeGreaterThan(0);
      for (const id of member.department ?? []) expect(known.has(id), `${userid} in department ${id}`).toBe(true);
    }
  });

  it('answers user/get for an unknown userid with 60111', async () => {
    const { error } = await wecom.GET('/cgi-bin/user/get', { params: { query: { userid: 'no-such-member' } } });
    expect((error as { errcode?: number }).errcode).toBe(60111);
  });

  it('pages user/list_id over every member–department pair, and the pairs agree with user/list of the root', async () => {
    const pairs = await wecom.paginate('/cgi-bin/user/list_id', { body: {} }, { pageSize: 7 }).toArray();
    const { userlist } = unwrap(await wecom.GET('/cgi-bin/user/list', { params: { query: { department_id: 1, fetch_child: 1 } } }));
    const expected = userlist.flatMap((m) => (m.department ?? []).map((d) => `${m.userid}@${d}`)).sort();
    expect(pairs.length).toBeGreaterThan(7);
    expect(pairs.map((p) => `${p.userid}@${p.department}`).sort()).toEqual(expected);
  });

  it('lists the members of a member tag with their names (tag/get)', async () => {
    const { taglist } = unwrap(await wecom.GET('/cgi-bin/tag/list'));
    const tag = unwrap(await wecom.GET('/cgi-bin/tag/get', { params: { query: { tagid: taglist[0]!.tagid } } }));
    expect(tag.userlist.length).toBeGreaterThan(0);
    for (const u of tag.userlist) {
      const member = unwrap(await wecom.GET('/cgi-bin/user/get', { params: { query: { userid: u.userid } } }));
      expect(u.name).toBe(member.name);
    }
  });
});
