// Weiling sandbox state: contacts (联系人), companies (企业) and follow-up records (跟进记录).
import type { Random } from '../random.js';
import { chineseName, CITIES, COMPANIES, mobile, type ActionResult, type StateEnv, type StateModule } from './index.js';

type Json = Record<string, any>;
const USER = 'yPnH1F07NIernRpEDqzz_q8yMWncV16IsIYv_w9l8s8';

export const weiling: StateModule = {
  create(random: Random, env: StateEnv) {
    const id43 = () => random.id('', 43).replace(/[+/]/g, '_');
    const contacts = new Map<string, Json>();
    const companies = new Map<string, Json>();
    const progress: Json[] = [];
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const addContact = (fields: Json, contact_id = id43()) => {
      const contact = {
        contact_id,
        status: 1,
        create_user_id: USER,
        owner_id: USER,
        create_time: Date.now(),
        update_time: Date.now(),
        ...fields,
      };
      contacts.set(contact_id, contact);
      return contact;
    };
    addContact(
      { user_name: '王晓明', contact_ways: [{ type: 1, contact_way: '13812345678' }], corp_name: '上海华信科技有限公司', region: '上海' },
      'XwP-Z7Car-MNhGxnmPCfmf_lbMEilu_F96AB68msZvQ',
    );
    addContact(
      { user_name: '李丽娜', contact_ways: [{ type: 1, contact_way: '13912345678' }], corp_name: '杭州瓴创科技有限公司', region: '杭州' },
      'qC8khgPgBirZqtQNUrCSWn66CSZ4f435ret3JCYtd-0',
    );
    for (let i = 0; i < 30; i++) {
      addContact({
        user_name: chineseName(random),
        contact_ways: [{ type: 1, contact_way: mobile(random) }],
        corp_name: random.pick(COMPANIES),
        region: random.pick(CITIES),
        create_time: Date.now() - random.int(0, 20) * 86_400_000,
      });
    }
    const addCompany = (fields: Json, company_id = id43()) => {
      const company = { company_id, status: '存续', create_time: Date.now(), owner_id: USER, ...fields };
      companies.set(company_id, company);
      return company;
    };
    addCompany(
      { company_name: '杭州瓴创科技有限公司', abbreviation: '瓴创科技', credit_code: '91330106MA2H1X2Y3Z' },
      'ZiDcy2WgGA29LddvWH0ogdZOLItF6RdkE6wE-xqfhDY',
    );
    for (const name of COMPANIES.slice(2)) addCompany({ company_name: name });

    /** An employee adds a WeCom friend (企微好友): the 添加企微好友事件 (add_customer) callback, signed and encrypted. */
    const customersAction = (input: { name?: string; userid?: string }): ActionResult => {
      const payload = env.callbacks?.build('add_customer', {
        header: { time_stamp: String(Date.now()) },
        event: {
          customer_id: id43(),
          external_userid: random.id('wm', 30),
          name: input.name ?? chineseName(random),
          corp_name: random.pick(COMPANIES),
          userid: input.userid ?? USER,
        },
      });
      return {
        result: { customerId: payload?.event.customer_id, externalUserId: payload?.event.external_userid },
        callbacks: payload ? [{ event: 'add_customer', payload }] : [],
      };
    };
    const text = { type: 'string', minLength: 1, maxLength: 64 };
    return {
      actions: { customers: customersAction },
      inputs: { customers: { type: 'object', additionalProperties: false, properties: { name: text, userid: text } } },
      handlers: {
        contactCreate: ({ body, ok }) => {
          const contact = addContact({ ...body, create_time: body.create_time ?? Date.now() });
          return ok({ data: { contact_id: contact.contact_id } });
        },
        contactBatch: ({ body, ok }) => {
          const ids: string[] = body.contact_ids;
          return ok({
            data: {
              contact_list: ids.flatMap((id) => (contacts.has(id) ? [structuredClone(contacts.get(id))] : [])),
              fail_list: ids.filter((id) => !contacts.has(id)).map((id) => ({ contact_id: id, error_code: 1003, error_msg: '数据不存在' })),
            },
          });
        },
        contactList: ({ query, ok, page: paged }) => {
          const from = Date.parse(`${query.start_day}T00:00:00+08:00`);
          const to = Date.parse(`${query.end_day}T23:59:59+08:00`);
          const list = [...contacts.values()].filter(
            (c) =>
              c.create_time >= from - 86_400_000 * 365 &&
              c.create_time <= Math.max(to, Date.now()) &&
              (!query.owner_id || c.owner_id === query.owner_id),
          );
          const { page, fields } = paged(list, 100);
          void day;
          return ok(fields(page));
        },
        contactEdit: (ctx) => {
          const contact = contacts.get(ctx.body.contact_id);
          if (!contact) return ctx.notFound('数据不存在');
          Object.assign(contact, ctx.body, { update_time: Date.now() });
          return ctx.ok({});
        },
        companyCreate: ({ body, ok }) => ok({ data: { company_id: addCompany(body).company_id } }),
        companyGetV2: (ctx) => {
          const company =
            (ctx.query.company_id && companies.get(ctx.query.company_id)) ||
            [...companies.values()].find((c) => c.company_name === ctx.query.company_name);
          if (!company) return ctx.notFound('数据不存在');
          return ctx.ok({ data: structuredClone(company) });
        },
        companyListV2: ({ ok, page: paged }) => {
          const { page, fields } = paged([...companies.values()], 100);
          return ok(fields(page.map((c) => ({ company_id: c.company_id, company_name: c.company_name }))));
        },
        progressCreateV2: ({ body, ok, random: r }) => {
          const success_list = (body.progress_list as Json[]).map((p, index) => {
            const progress_id = id43();
            progress.push({
              progress_id,
              id: body.id,
              type: body.type,
              create_user_id: p.create_user_id ?? USER,
              content: p.content,
              remark: p.content,
              create_time: p.create_time ?? Date.now(),
            });
            void r;
            return { index: p.index ?? index, progress_id };
          });
          return ok({ data: { fail_list: [], success_list } });
        },
        progressListV2: ({ query, ok, page: paged }) => {
          const list = progress.filter((p) => p.id === query.id && String(p.type) === String(query.type));
          const { page, fields } = paged(list, 100);
          return ok(fields(page.map(({ id: _i, type: _t, ...p }) => p)));
        },
      },
    };
  },
};
