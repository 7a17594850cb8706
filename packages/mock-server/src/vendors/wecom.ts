// WeCom sandbox state: the 通讯录 (members, departments, member tags), 「联系我」 contact ways, corp tags, customers
// (with followers) and customer groups, one set per corp (every follow user of 客户联系 is a member with a name and
// departments); media, app messages and JS-SDK tickets (./wecom/media.ts); and the sandbox's app for service providers (服务商 / 代开发): suite tickets pushed to the instruction callback
// URL, the install flow (pre-auth code, "an administrator installs the app", auth code → permanent code), corp tokens
// valid for their corp only, and cancelled authorizations.
import { randomBytes } from 'node:crypto';
import { ControlError } from '../control.js';
import { createRandom, type Random } from '../random.js';
import {
  chineseName,
  COMPANIES,
  type ActionResult,
  type CallbackEvent,
  type Handler,
  type HandlerContext,
  type StateEnv,
  type StateModule,
  type VendorState,
} from './index.js';
import { wecomMediaState } from './wecom/media.js';

type Json = Record<string, any>;
/** The members with 客户联系 enabled (get_follow_user_list): the userids customers follow. */
const MEMBERS = ['zhangsan', 'lisi', 'wangwu', 'zhaoliu'];
/** 「联系我」 configs a corp may create through the API (shared with 加入群聊 in WeCom), and temporary ones per day. */
export const WAY_QUOTA = 500_000;
export const WAY_TEMP_PER_DAY = 100_000;
/** The limits of one corp's state; tests pass small ones (they cannot create half a million configs quickly). */
export type Quotas = { ways: number; tempWaysPerDay: number };

/** The 通讯录 departments: a root and a small tree (ids as WeCom numbers them, the root is 1). */
const DEPARTMENTS = [
  { id: 1, name: '示例科技有限公司', name_en: 'Sandbox Tech', parentid: 0, order: 100_000_000, department_leader: ['zhangsan'] },
  { id: 2, name: '销售部', name_en: 'Sales', parentid: 1, order: 100, department_leader: ['lisi'] },
  { id: 3, name: '上海门店', name_en: 'Shanghai Store', parentid: 2, order: 90, department_leader: ['wangwu'] },
  { id: 4, name: '杭州门店', name_en: 'Hangzhou Store', parentid: 2, order: 80, department_leader: [] },
  { id: 5, name: '客户服务部', name_en: 'Customer Service', parentid: 1, order: 70, department_leader: ['zhaoliu'] },
];

/** The members behind the follow users (fixed, so docs and demos can show them) and two without 客户联系. */
const SEED_MEMBERS = [
  {
    userid: 'zhangsan',
    name: '张三',
    department: [1, 2],
    main_department: 2,
    position: '销售总监',
    mobile: '13430388888',
    alias: 'jackzhang',
  },
  { userid: 'lisi', name: '李四', department: [2], main_department: 2, position: '销售经理', mobile: '13800000002' },
  { userid: 'wangwu', name: '王五', department: [3], main_department: 3, position: '店长', mobile: '13800000003' },
  { userid: 'zhaoliu', name: '赵六', department: [5, 4], main_department: 5, position: '客服主管', mobile: '13800000004' },
  { userid: 'sunqi', name: '孙七', department: [4], main_department: 4, position: '导购', mobile: '13800000005' },
  { userid: 'zhouba', name: '周八', department: [5], main_department: 5, position: '客服专员', mobile: '13800000006' },
];
const now = () => Math.floor(Date.now() / 1000);

/** A seed from a corp id: each installed corp gets its own generated data, the same on every run. */
function seedOf(corpId: string): number {
  let h = 2166136261;
  for (const c of corpId) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** One corp's 客户联系 data and the handlers that read and change it. `examples`: seed the ids the spec's examples use. */
function corpData(random: Random, examples: boolean, quotas: Quotas) {
  {
    const ways = new Map<string, Json>();
    // temporary-session contact ways among them, and those created on the current day (a day number)
    let tempWays = 0;
    let tempDay = -1;
    let tempToday = 0;
    const tagGroups: Json[] = [];
    const customers = new Map<string, Json>();
    const chats = new Map<string, Json>();

    // 通讯录: departments, members (the follow users first, then generated staff) and member tags
    const departments = new Map<number, Json>(DEPARTMENTS.map((d) => [d.id, { ...d }]));
    const members = new Map<string, Json>();
    const addMember = (m: { userid: string; name: string; department: number[]; main_department?: number } & Json) => {
      const department = m.department;
      members.set(m.userid, {
        ...m,
        department,
        order: department.map(() => 0),
        is_leader_in_dept: department.map((d) => (departments.get(d)?.department_leader.includes(m.userid) ? 1 : 0)),
        main_department: m.main_department ?? department[0],
        status: 1,
        telephone: '',
        external_position: m.position ?? '',
      });
    };
    for (const m of SEED_MEMBERS) addMember(m);
    for (let i = 0; i < 24; i++) {
      const dept = random.pick([2, 3, 4, 5]);
      addMember({ userid: `staff${String(i + 1).padStart(3, '0')}`, name: chineseName(random), department: [dept], position: '员工' });
    }
    const memberTags = new Map<number, { tagid: number; tagname: string; users: string[]; parties: number[] }>([
      [1, { tagid: 1, tagname: '销售骨干', users: ['zhangsan', 'lisi'], parties: [3] }],
      [2, { tagid: 2, tagname: '客服', users: ['zhaoliu'], parties: [5] }],
    ]);
    /** A department and every department below it. */
    const subtree = (id: number): number[] => [
      id,
      ...[...departments.values()].filter((d) => d.parentid === id).flatMap((d) => subtree(d.id)),
    ];
    const membersOf = (departmentId: number, fetchChild: boolean) => {
      const ids = new Set(fetchChild ? subtree(departmentId) : [departmentId]);
      return [...members.values()].filter((m) => m.department.some((d: number) => ids.has(d)));
    };
    const memberNotFound = (ctx: { fail: (c: number, m: string) => Json }) => ctx.fail(60111, 'userid not found');
    const departmentNotFound = (ctx: { fail: (c: number, m: string) => Json }) => ctx.fail(60123, 'invalid party id');

    // seed: the ids the spec's examples use, plus generated data
    if (examples)
      ways.set('42b34949e138eb6e027c123cba77fAAA', {
        config_id: '42b34949e138eb6e027c123cba77fAAA',
        type: 1,
        scene: 2,
        remark: '渠道客户',
        skip_verify: true,
        state: 'teststate',
        user: ['zhangsan'],
        qr_code: 'https://sandbox.scrm-openapi.invalid/qr/42b34949e138eb6e027c123cba77fAAA',
        create_time: now() - 86_400,
      });
    const tag = (name: string, order: number) => ({ id: random.id('et', 30), name, create_time: now() - 86_400 * 30, order });
    tagGroups.push(
      {
        group_id: examples ? 'etAJ2GCAAAXtWyujaWJHDDGi0mACGAAA' : random.id('et', 30),
        group_name: '客户等级',
        create_time: now() - 86_400 * 30,
        order: 1,
        tag: [
          {
            id: examples ? 'etAJ2GCAAAXtWyujaWJHDDGi0mACHAAA' : random.id('et', 30),
            name: '重要客户',
            create_time: now() - 86_400 * 30,
            order: 2,
          },
          {
            id: examples ? 'etAJ2GCAAAXtWyujaWJHDDGi0mACHCCC' : random.id('et', 30),
            name: '潜在客户',
            create_time: now() - 86_400 * 30,
            order: 1,
          },
        ],
      },
      {
        group_id: random.id('et', 30),
        group_name: '来源渠道',
        create_time: now() - 86_400 * 20,
        order: 2,
        tag: [tag('门店', 1), tag('官网', 2), tag('展会', 3)],
      },
    );
    const addCustomer = (input: { userid?: string; name?: string; state?: string; external_userid?: string; corp?: boolean }) => {
      const external_userid = input.external_userid ?? random.id('wm', 30);
      const userid = input.userid ?? random.pick(MEMBERS);
      const type = input.corp ? 2 : 1;
      const customer = {
        external_contact: {
          external_userid,
          name: input.name ?? chineseName(random),
          type,
          gender: random.int(1, 2),
          avatar: `https://sandbox.scrm-openapi.invalid/avatar/${external_userid}.png`,
          ...(type === 2 ? { corp_name: random.pick(COMPANIES).slice(0, 4), position: '采购经理' } : {}),
        },
        follow_user: [
          { userid, remark: '', description: '', createtime: now(), tags: [], add_way: 1, state: input.state ?? '', oper_userid: userid },
        ],
      };
      customers.set(external_userid, customer);
      return { external_userid, userid, state: input.state };
    };
    if (examples) {
      addCustomer({ external_userid: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA', userid: 'zhangsan', name: '李四', corp: true });
      addCustomer({ external_userid: 'wmAJ2GCAAAzLTI123ghsdfoGZNqqAAAA', userid: 'zhangsan', name: '王五' });
    }
    for (let i = 0; i < 40; i++) addCustomer({});
    const addChat = (chat_id: string, owner: string) => {
      const members = [...customers.values()].filter((c) => c.follow_user[0].userid === owner).slice(0, 5);
      chats.set(chat_id, {
        chat_id,
        name: `${owner === 'zhangsan' ? '上海' : '杭州'}门店会员群${chats.size + 1}`,
        owner,
        create_time: now() - 86_400 * 7,
        notice: '文明沟通，拒绝广告',
        member_list: [
          { userid: owner, type: 1, join_time: now() - 86_400 * 7, join_scene: 1 },
          ...members.map((c) => ({ userid: c.external_contact.external_userid, type: 2, join_time: now() - 86_400 * 3, join_scene: 3 })),
        ],
        admin_list: [],
        status: 0,
      });
    };
    addChat(examples ? 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA' : random.id('wr', 28), 'zhangsan');
    for (let i = 0; i < 6; i++) addChat(random.id('wr', 28), random.pick(MEMBERS));

    const wayNotFound = (ctx: { fail: (c: number, m: string) => Json }) => ctx.fail(41044, 'invalid config_id');
    const followers = (userid: string) => [...customers.values()].filter((c) => c.follow_user.some((f: Json) => f.userid === userid));
    const allTags = () => tagGroups.flatMap((g) => g.tag);

    return {
      addCustomer,
      followers,
      handlers: {
        addContactWay: ({ body, ok, fail, random: r, now: at }) => {
          // WeCom's quotas keep the state bounded however long the sandbox runs (a load test, a bench): at most
          // 500,000 configs per corp (41045), temporary-session ones not counted but at most 100,000 new per day
          if (body.is_temp === true) {
            const day = Math.floor(at / 86_400_000);
            if (day !== tempDay) [tempDay, tempToday] = [day, 0];
            if (tempToday >= quotas.tempWaysPerDay) return fail(41045, 'temporary contact ways of today reached the limit');
            tempToday++;
          } else if (ways.size - tempWays >= quotas.ways) return fail(41045, 'contact ways reached the limit');
          const config_id = r.id('', 32).toLowerCase();
          const way: Json = {
            ...body,
            config_id,
            create_time: now(),
            ...(body.scene === 2 ? { qr_code: `https://sandbox.scrm-openapi.invalid/qr/${config_id}` } : {}),
          };
          ways.set(config_id, way);
          if (way.is_temp === true) tempWays++;
          return ok({ config_id, ...(way.qr_code ? { qr_code: way.qr_code } : {}) });
        },
        getContactWay: (ctx) => {
          const way = ways.get(ctx.body.config_id);
          if (!way) return wayNotFound(ctx);
          const { create_time: _c, ...contact_way } = way;
          return ctx.ok({ contact_way });
        },
        listContactWay: ({ ok, page: paged }) => {
          const list = [...ways.values()].filter((w) => !w.is_temp).sort((a, b) => a.create_time - b.create_time);
          const { page, fields } = paged(list, 100);
          return ok(fields(page.map((w) => ({ config_id: w.config_id }))));
        },
        updateContactWay: (ctx) => {
          const way = ways.get(ctx.body.config_id);
          if (!way) return wayNotFound(ctx);
          Object.assign(way, ctx.body);
          return ctx.ok({});
        },
        delContactWay: (ctx) => {
          const way = ways.get(ctx.body.config_id);
          if (!way) return wayNotFound(ctx);
          ways.delete(ctx.body.config_id);
          if (way.is_temp === true) tempWays--;
          return ctx.ok({});
        },
        getCorpTagList: ({ body, ok }) => {
          const groups: string[] = body.group_id ?? [];
          const ids: string[] = body.tag_id ?? [];
          let list = tagGroups;
          if (groups.length) list = tagGroups.filter((g) => groups.includes(g.group_id));
          else if (ids.length)
            list = tagGroups.map((g) => ({ ...g, tag: g.tag.filter((t: Json) => ids.includes(t.id)) })).filter((g) => g.tag.length);
          return ok({ tag_group: structuredClone(list) });
        },
        addCorpTag: ({ body, ok, random: r }) => {
          let group = tagGroups.find((g) => g.group_id === body.group_id || (body.group_name && g.group_name === body.group_name));
          if (!group) {
            group = {
              group_id: r.id('et', 30),
              group_name: body.group_name ?? '新标签组',
              create_time: now(),
              order: body.order ?? 0,
              tag: [],
            };
            tagGroups.push(group);
          }
          const added = (body.tag as Json[]).map((t) => ({ id: r.id('et', 30), name: t.name, create_time: now(), order: t.order ?? 0 }));
          group.tag.push(...added);
          return ok({ tag_group: { ...group, tag: added } });
        },
        editCorpTag: (ctx) => {
          const target = tagGroups.find((g) => g.group_id === ctx.body.id) ?? allTags().find((t) => t.id === ctx.body.id);
          if (!target) return ctx.fail(40068, 'invalid tagid');
          if (ctx.body.name !== undefined) target[target.group_id ? 'group_name' : 'name'] = ctx.body.name;
          if (ctx.body.order !== undefined) target.order = ctx.body.order;
          return ctx.ok({});
        },
        delCorpTag: ({ body, ok }) => {
          for (const g of tagGroups) g.tag = g.tag.filter((t: Json) => !(body.tag_id ?? []).includes(t.id));
          for (let i = tagGroups.length - 1; i >= 0; i--) {
            if ((body.group_id ?? []).includes(tagGroups[i]!.group_id) || tagGroups[i]!.tag.length === 0) tagGroups.splice(i, 1);
          }
          return ok({});
        },
        markTag: (ctx) => {
          const customer = customers.get(ctx.body.external_userid);
          const follow = customer?.follow_user.find((f: Json) => f.userid === ctx.body.userid);
          if (!follow) return ctx.fail(84061, 'not external contact');
          const byId = new Map(
            tagGroups.flatMap((g) => g.tag.map((t: Json) => [t.id, { group_name: g.group_name, tag_name: t.name, tag_id: t.id, type: 1 }])),
          );
          const unknown = [...(ctx.body.add_tag ?? [])].find((id: string) => !byId.has(id));
          if (unknown) return ctx.fail(40068, 'invalid tagid');
          follow.tags = follow.tags.filter((t: Json) => !(ctx.body.remove_tag ?? []).includes(t.tag_id));
          for (const id of ctx.body.add_tag ?? []) if (!follow.tags.some((t: Json) => t.tag_id === id)) follow.tags.push(byId.get(id));
          return ctx.ok({});
        },
        getFollowUserList: ({ ok }) => ok({ follow_user: MEMBERS }),
        userGet: (ctx) => {
          const member = members.get(String(ctx.query.userid).toLowerCase());
          return member ? ctx.ok(structuredClone(member)) : memberNotFound(ctx);
        },
        userList: (ctx) => {
          const id = Number(ctx.query.department_id);
          if (!departments.has(id)) return departmentNotFound(ctx);
          return ctx.ok({ userlist: structuredClone(membersOf(id, Number(ctx.query.fetch_child) === 1)) });
        },
        userSimplelist: (ctx) => {
          const id = Number(ctx.query.department_id);
          if (!departments.has(id)) return departmentNotFound(ctx);
          const list = membersOf(id, Number(ctx.query.fetch_child) === 1);
          return ctx.ok({ userlist: list.map((m) => ({ userid: m.userid, name: m.name, department: [...m.department] })) });
        },
        userListId: ({ ok, page: paged }) => {
          const pairs = [...members.values()].flatMap((m) => m.department.map((d: number) => ({ userid: m.userid, department: d })));
          const { page, fields } = paged(pairs, 1000);
          return ok(fields(page));
        },
        userGetuserid: (ctx) => {
          const member = [...members.values()].find((m) => m.mobile === ctx.body.mobile);
          return member ? ctx.ok({ userid: member.userid }) : ctx.fail(46004, 'user no exist');
        },
        userConvertToOpenid: (ctx) => {
          const member = members.get(String(ctx.body.userid).toLowerCase());
          return member ? ctx.ok({ openid: `oSandbox_${member.userid}` }) : memberNotFound(ctx);
        },
        departmentList: (ctx) => {
          const id = ctx.query.id === undefined ? 1 : Number(ctx.query.id);
          if (!departments.has(id)) return departmentNotFound(ctx);
          return ctx.ok({ department: subtree(id).map((d) => structuredClone(departments.get(d)!)) });
        },
        departmentSimplelist: (ctx) => {
          const id = ctx.query.id === undefined ? 1 : Number(ctx.query.id);
          if (!departments.has(id)) return departmentNotFound(ctx);
          const list = subtree(id).map((d) => departments.get(d)!);
          return ctx.ok({ department_id: list.map((d) => ({ id: d.id, parentid: d.parentid, order: d.order })) });
        },
        departmentGet: (ctx) => {
          const department = departments.get(Number(ctx.query.id));
          return department ? ctx.ok({ department: structuredClone(department) }) : departmentNotFound(ctx);
        },
        tagList: ({ ok }) => ok({ taglist: [...memberTags.values()].map((t) => ({ tagid: t.tagid, tagname: t.tagname })) }),
        tagGet: (ctx) => {
          const tag = memberTags.get(Number(ctx.query.tagid));
          if (!tag) return ctx.fail(40068, 'invalid tagid');
          return ctx.ok({
            tagname: tag.tagname,
            userlist: tag.users.map((userid) => ({ userid, name: members.get(userid)?.name ?? userid })),
            partylist: [...tag.parties],
          });
        },
        msgauditGetPermitUserList: ({ ok }) => ok({ ids: MEMBERS.slice(0, 3) }),
        listExternalContact: (ctx) => {
          const list = followers(ctx.query.userid);
          if (list.length === 0) return ctx.fail(84061, 'not external contact');
          return ctx.ok({ external_userid: list.map((c) => c.external_contact.external_userid) });
        },
        getExternalContact: (ctx) => {
          const customer = customers.get(ctx.query.external_userid);
          if (!customer) return ctx.fail(40096, 'invalid external userid');
          return ctx.ok(structuredClone(customer));
        },
        batchGetByUser: ({ body, ok, page: paged }) => {
          const users = new Set(body.userid_list as string[]);
          // pairs first, objects for the page only: a member may follow 10,000 customers
          const pairs = [...customers.values()].flatMap((c) =>
            c.follow_user.filter((f: Json) => users.has(f.userid)).map((f: Json) => [c, f] as const),
          );
          const { page, fields } = paged(pairs, 50);
          return ok(
            fields(
              page.map(([c, f]) => ({
                external_contact: c.external_contact,
                follow_info: { ...f, tag_id: f.tags.map((t: Json) => t.tag_id), tags: undefined },
              })),
            ),
          );
        },
        remarkExternalContact: (ctx) => {
          const follow = customers.get(ctx.body.external_userid)?.follow_user.find((f: Json) => f.userid === ctx.body.userid);
          if (!follow) return ctx.fail(84061, 'not external contact');
          for (const k of ['remark', 'description', 'remark_company', 'remark_mobiles'])
            if (ctx.body[k] !== undefined) follow[k === 'remark_company' ? 'remark_corp_name' : k] = ctx.body[k];
          return ctx.ok({});
        },
        groupchatList: ({ body, ok, page: paged }) => {
          const owners: string[] | undefined = body.owner_filter?.userid_list;
          const list = [...chats.values()].filter((c) => !owners || owners.includes(c.owner));
          const { page, fields } = paged(list, 100);
          return ok(fields(page.map((c) => ({ chat_id: c.chat_id, status: c.status }))));
        },
        groupchatGet: (ctx) => {
          const chat = chats.get(ctx.body.chat_id);
          if (!chat) return ctx.fail(90501, 'chat is not external group chat');
          const { status: _s, ...group_chat } = structuredClone(chat);
          return ctx.ok({ group_chat });
        },
      } satisfies Record<string, Handler>,
    };
  }
}

/** The code a WeCom answer carries when the sandbox's app is not (or no longer) authorized by a corp (不合法的永久授权码). */
const NOT_AUTHORIZED = 40084;

interface InstalledCorp {
  corpId: string;
  corpName: string;
  /** Installed as a 代开发 app (its permanent code is a gettoken secret) rather than a third-party app. */
  customized: boolean;
  /** Authorized and not cancelled: its tokens are honoured. */
  active: boolean;
  /** Set when get_permanent_code exchanged the auth code; dropped when the authorization is cancelled. */
  permanentCode?: string;
  state?: string;
}

export const wecom = {
  create(random: Random, env: StateEnv, quotas: Quotas = { ways: WAY_QUOTA, tempWaysPerDay: WAY_TEMP_PER_DAY }): VendorState {
    // the self-built app's corp (tokens from gettoken with the sandbox's corp secret: no tenant) keeps the data it
    // always had; every corp that installs the sandbox's app gets data of its own, seeded from its corp id
    const corps = new Map<string, ReturnType<typeof corpData>>([['', corpData(random, true, quotas)]]);
    const dataOf = (tenant: string | undefined) => {
      const key = tenant ?? '';
      let data = corps.get(key);
      if (!data) corps.set(key, (data = corpData(createRandom(seedOf(key)), false, quotas)));
      return data;
    };

    // the sandbox's app for service providers
    const provider = env.provider;
    const suiteId = provider?.callback.receiveId ?? '';
    const ms = (seconds: number | undefined, fallback: number) => (seconds ?? fallback) * 1000;
    // The suite kind's pushed ticket (x-scrm-tokens.suite.ticket): the webhook and field it comes in, how long it is
    // accepted and how often it is pushed, unless x-scrm-sandbox.provider says otherwise for the sandbox. The
    // sandbox's app cannot push tickets the spec does not describe: said at start.
    const ticketSpec = env.tokens?.suite?.ticket;
    if (provider && !ticketSpec) {
      throw new Error('the wecom spec gives the sandbox an app for providers (x-scrm-sandbox.provider) but no x-scrm-tokens.suite.ticket');
    }
    const ticketTtl = (provider?.ticketTtlSeconds ?? ticketSpec?.ttlSeconds ?? 0) * 1000;
    const ticketInterval = provider?.ticketIntervalSeconds ?? ticketSpec?.intervalSeconds;
    // WeCom pushes tickets to the instruction callback URL: with none configured, there is nothing to push to (and
    // with no push interval in the spec, tickets come only when asked for, by the suite-ticket action)
    const schedules: Record<string, number> =
      provider?.callbackUrl && ticketInterval !== undefined ? { 'suite-ticket': ticketInterval * 1000 } : {};
    const preAuthTtl = ms(provider?.preAuthCodeTtlSeconds, 1200);
    const authCodeTtl = ms(provider?.authCodeTtlSeconds, 600);
    const tickets = new Map<string, number>();
    const preAuthCodes = new Map<string, number>();
    const authCodes = new Map<string, { corpId: string; expiresAt: number }>();
    const installed = new Map<string, InstalledCorp>();
    const secret = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;
    const prune = (map: Map<string, number | { expiresAt: number }>) => {
      const t = Date.now();
      for (const [k, v] of map) if ((typeof v === 'number' ? v : v.expiresAt) <= t) map.delete(k);
    };
    /**
     * An instruction callback (指令回调, webhook `event` of the spec) to the app's instruction callback URL: the
     * sandbox's channel `suite`, signed with the app's configuration (receiver id: the suite id).
     */
    const instruction = (event: string, fields: Json): CallbackEvent => ({
      event,
      payload: { SuiteId: suiteId, InfoType: event, ...fields, TimeStamp: now() },
      channel: 'suite',
    });
    /**
     * The third-party form of a 客户联系 event (docs 92277): what a third-party app receives on its instruction callback
     * URL — `SuiteId`, `AuthCorpId`, `InfoType` and `TimeStamp` in place of the self-built envelope.
     */
    const thirdPartyForm = ({ ToUserName, FromUserName: _f, CreateTime, MsgType: _m, Event, ...fields }: Json): Json => ({
      SuiteId: suiteId,
      AuthCorpId: ToUserName,
      InfoType: Event,
      ...fields,
      TimeStamp: CreateTime,
    });
    const needProvider = () => {
      if (!provider) throw new ControlError(404, 'the wecom spec declares no sandbox app for service providers (x-scrm-sandbox.provider)');
    };
    const activeCorp = (corpId: unknown) => {
      const corp = typeof corpId === 'string' ? installed.get(corpId) : undefined;
      return corp?.active ? corp : undefined;
    };

    /** A customer adds a member: stored, and WeCom's add_external_contact callback (signed, encrypted) is sent. */
    const customersAction = (input: { userid?: string; name?: string; state?: string; corpId?: string }): ActionResult => {
      if (input.corpId !== undefined && input.corpId !== env.credentials?.corpId && !activeCorp(input.corpId))
        throw new ControlError(404, 'corpId: no corp has the sandbox app installed under this id');
      const thirdParty = input.corpId !== undefined && input.corpId !== env.credentials?.corpId;
      const customer = dataOf(thirdParty ? input.corpId : undefined).addCustomer({
        userid: input.userid,
        name: input.name,
        state: input.state,
      });
      const event = 'change_external_contact.add_external_contact';
      const payload = {
        ToUserName: thirdParty ? input.corpId : (env.callback?.receiveId ?? ''),
        FromUserName: 'sys',
        CreateTime: now(),
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'add_external_contact',
        UserID: customer.userid,
        ExternalUserID: customer.external_userid,
        ...(customer.state ? { State: customer.state } : {}),
        WelcomeCode: `SANDBOX_WELCOME_${randomBytes(6).toString('hex')}`,
      };
      if (thirdParty) {
        // a corp that installed the app: the event checked in the form the spec describes, sent in the third-party
        // form on the app's instruction callback URL
        return {
          result: { externalUserId: customer.external_userid, corpId: input.corpId },
          callbacks: [{ event, payload, channel: 'suite', wire: thirdPartyForm }],
        };
      }
      return { result: { externalUserId: customer.external_userid }, callbacks: [{ event, payload }] };
    };

    /** Many customers for one member at once, without callbacks (a big account for sync tests and benches). */
    const bulkCustomers = (input: { userid?: string; count?: number }): ActionResult => {
      const userid = input.userid ?? MEMBERS[0]!;
      const count = input.count ?? 1;
      const data = dataOf(undefined);
      for (let i = 0; i < count; i++) data.addCustomer({ userid });
      return { result: { userid, added: count, followers: data.followers(userid).length } };
    };

    /** WeCom pushes a fresh suite ticket (as often and as long-lived as x-scrm-tokens.suite.ticket says). */
    const suiteTicket = (): ActionResult => {
      needProvider();
      prune(tickets);
      const ticket = secret('sandbox-suite-ticket-');
      tickets.set(ticket, Date.now() + ticketTtl);
      return {
        result: { suiteTicket: ticket, expiresIn: ticketTtl / 1000 },
        callbacks: [instruction(ticketSpec!.webhook, { [ticketSpec!.field]: ticket })],
      };
    };

    /**
     * A corp's administrator installs the app (from the app market, a 代开发 QR code, or the provider's install link
     * with a pre-auth code): the corp is created, a temporary auth code issued and create_auth sent.
     */
    const install = (input: {
      corpId?: string;
      corpName?: string;
      state?: string;
      customized?: boolean;
      preAuthCode?: string;
    }): ActionResult => {
      needProvider();
      if (input.preAuthCode !== undefined) {
        prune(preAuthCodes);
        if (!preAuthCodes.has(input.preAuthCode)) throw new ControlError(400, 'preAuthCode: not issued by get_pre_auth_code, or expired');
      }
      const corpId = input.corpId ?? `wwsandboxcorp${randomBytes(5).toString('hex')}`;
      if (corpId === env.credentials?.corpId) throw new ControlError(409, "corpId: the self-built app's corp cannot install the app");
      if (activeCorp(corpId)) throw new ControlError(409, 'corpId: this corp has the app installed already');
      const corp: InstalledCorp = {
        corpId,
        corpName: input.corpName ?? installed.get(corpId)?.corpName ?? `沙箱企业${installed.size + 1}`,
        customized: input.customized ?? false,
        active: true,
        ...(input.state !== undefined ? { state: input.state } : {}),
      };
      installed.set(corpId, corp);
      dataOf(corpId);
      prune(authCodes);
      const authCode = secret('sandbox-auth-code-');
      authCodes.set(authCode, { corpId, expiresAt: Date.now() + authCodeTtl });
      return {
        result: { corpId, corpName: corp.corpName, customized: corp.customized, authCode },
        callbacks: [instruction('create_auth', { AuthCode: authCode, ...(input.state !== undefined ? { State: input.state } : {}) })],
      };
    };

    /** The administrator removes the app: its permanent code and tokens stop working; cancel_auth is sent. */
    const cancelAuth = (input: Json): ActionResult => {
      needProvider();
      const corp = activeCorp(input.corpId);
      if (!corp) throw new ControlError(404, 'corpId: no corp has the sandbox app installed under this id');
      corp.active = false;
      delete corp.permanentCode;
      return { result: { corpId: corp.corpId }, callbacks: [instruction('cancel_auth', { AuthCorpId: corp.corpId })] };
    };

    /** WeCom resets a corp's permanent code: a new auth code is sent; exchanging it replaces the permanent code. */
    const resetPermanentCode = (input: Json): ActionResult => {
      needProvider();
      const corp = activeCorp(input.corpId);
      if (!corp) throw new ControlError(404, 'corpId: no corp has the sandbox app installed under this id');
      const authCode = secret('sandbox-auth-code-');
      authCodes.set(authCode, { corpId: corp.corpId, expiresAt: Date.now() + authCodeTtl });
      return {
        result: { corpId: corp.corpId, authCode },
        callbacks: [instruction('reset_permanent_code', { AuthCode: authCode, AuthCorpId: corp.corpId })],
      };
    };

    /** get_permanent_code and its v2 form: the auth code, once, for the corp's permanent code. */
    const permanentCode = (ctx: HandlerContext, v2: boolean) => {
      prune(authCodes);
      const code = authCodes.get(ctx.body.auth_code);
      const corp = code && activeCorp(code.corpId);
      if (!code || !corp) return ctx.fail(40078, 'invalid auth_code');
      authCodes.delete(ctx.body.auth_code);
      corp.permanentCode = secret('sandbox-permanent-code-');
      const answer = (ctx.op.example() ?? {}) as Json;
      answer.errcode = 0;
      answer.errmsg = 'ok';
      answer.permanent_code = corp.permanentCode;
      answer.auth_corp_info = { ...answer.auth_corp_info, corpid: corp.corpId, corp_name: corp.corpName };
      if (corp.state !== undefined) answer.state = corp.state;
      else delete answer.state;
      delete answer.register_code_info;
      delete answer.dealer_corp_info;
      for (const agent of answer.auth_info?.agent ?? []) agent.is_customized_app = corp.customized;
      if (!v2) {
        if (corp.customized) {
          // a 代开发 app's corp token comes from gettoken with the permanent code as the secret
          delete answer.access_token;
          delete answer.expires_in;
        } else {
          const { token, expiresIn } = ctx.issueToken('corp', corp.corpId);
          answer.access_token = token;
          answer.expires_in = expiresIn;
        }
      }
      return answer;
    };
    /** get_auth_info and its v2 form: the corp's authorization, for its corp id and permanent code. */
    const authInfo = (ctx: HandlerContext) => {
      const corp = activeCorp(ctx.body.auth_corpid);
      if (!corp?.permanentCode || corp.permanentCode !== ctx.body.permanent_code) return ctx.fail(NOT_AUTHORIZED, 'invalid permanent_code');
      const answer = (ctx.op.example() ?? {}) as Json;
      answer.auth_corp_info = { ...answer.auth_corp_info, corpid: corp.corpId, corp_name: corp.corpName };
      delete answer.dealer_corp_info;
      for (const agent of answer.auth_info?.agent ?? []) agent.is_customized_app = corp.customized;
      return answer;
    };

    // the 客户联系 handlers: each call reaches the data of the corp its token was issued for
    const corpHandlers = Object.fromEntries(
      Object.keys(dataOf(undefined).handlers).map((name) => [
        name,
        (ctx: HandlerContext) => (dataOf(ctx.tenant).handlers as Record<string, Handler>)[name]!(ctx),
      ]),
    );

    const text = { type: 'string', minLength: 1, maxLength: 64 };
    // media, app messages and JS-SDK tickets (./wecom/media.ts): one store for every corp
    const media = wecomMediaState(random);
    const corpIdInput = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };
    const actions: Record<string, (input: Json) => ActionResult> = {
      customers: customersAction,
      'customers-bulk': bulkCustomers,
      ...media.actions,
    };
    if (provider)
      Object.assign(actions, {
        'suite-ticket': suiteTicket,
        install,
        'cancel-auth': cancelAuth,
        'reset-permanent-code': resetPermanentCode,
      });
    return {
      views: media.views,
      actions,
      inputs: {
        ...media.inputs,
        customers: {
          type: 'object',
          additionalProperties: false,
          properties: { userid: text, name: text, state: text, corpId: corpIdInput },
        },
        'customers-bulk': {
          type: 'object',
          additionalProperties: false,
          properties: { userid: text, count: { type: 'integer', minimum: 1, maximum: 100_000 } },
        },
        'suite-ticket': { type: 'object', additionalProperties: false, properties: {} },
        install: {
          type: 'object',
          additionalProperties: false,
          properties: {
            corpId: corpIdInput,
            corpName: text,
            state: text,
            customized: { type: 'boolean' },
            preAuthCode: { type: 'string', minLength: 1, maxLength: 128 },
          },
        },
        'cancel-auth': { type: 'object', additionalProperties: false, required: ['corpId'], properties: { corpId: corpIdInput } },
        'reset-permanent-code': {
          type: 'object',
          additionalProperties: false,
          required: ['corpId'],
          properties: { corpId: corpIdInput },
        },
      },
      schedules,
      tokenRequest(kind, given) {
        if (kind === 'suite') {
          prune(tickets);
          return tickets.has(given.suiteTicket ?? '') ? {} : { refused: 'suiteTicket' };
        }
        if (kind === 'suite-corp' || kind === 'customized-corp') {
          const corp = activeCorp(given.authCorpId);
          if (!corp || corp.customized !== (kind === 'customized-corp')) return { refused: 'authCorpId' };
          if (!corp.permanentCode || corp.permanentCode !== given.permanentCode) return { refused: 'permanentCode' };
          return { tenant: corp.corpId };
        }
        return { refused: Object.keys(given)[0] ?? kind };
      },
      tenantActive: (tenant) => installed.get(tenant)?.active === true,
      handlers: {
        ...media.handlers,
        ...corpHandlers,
        getPreAuthCode: ({ ok }) => {
          prune(preAuthCodes);
          const pre_auth_code = secret('sandbox-pre-auth-code-');
          preAuthCodes.set(pre_auth_code, Date.now() + preAuthTtl);
          return ok({ pre_auth_code, expires_in: preAuthTtl / 1000 });
        },
        setSessionInfo: (ctx) => {
          prune(preAuthCodes);
          if (!preAuthCodes.has(ctx.body.pre_auth_code)) return ctx.fail(40077, 'invalid pre_auth_code');
          return ctx.ok({});
        },
        getPermanentCode: (ctx) => permanentCode(ctx, false),
        getPermanentCodeV2: (ctx) => permanentCode(ctx, true),
        getAuthInfo: authInfo,
        getAuthInfoV2: authInfo,
      },
    };
  },
} satisfies StateModule;
