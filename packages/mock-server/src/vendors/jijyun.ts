// Jijyun sandbox state: the assistant's external contacts (外部联系人). Like the platform, a contact carries every
// key of the contact object (null when it has no value).
import type { Random } from '../random.js';
import { chineseName, mobile, type ActionResult, type StateEnv, type StateModule } from './index.js';

type Json = Record<string, any>;

const FIELDS = [
  'avatar',
  'chatid',
  'company',
  'company_address',
  'company_website',
  'companyid',
  'contact_id',
  'contact_name',
  'conversation_id',
  'email',
  'message_id',
  'mobile',
  'open_id',
  'product_name',
  'roomTopic',
  'room_id',
  'userid',
];

export const jijyun: StateModule = {
  create(random: Random, env: StateEnv) {
    const contacts = new Map<string, Json>();
    const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
    const add = (fields: Json, id = random.id('', 32).toLowerCase()) => {
      const contact: Json = Object.fromEntries(FIELDS.map((f) => [f, null]));
      Object.assign(contact, { id, device_id: id, create_time: stamp(), update_time: stamp(), name: `访客${contacts.size + 290}` }, fields);
      contacts.set(id, contact);
      return contact;
    };
    add({ name: '访客290', mobile: '13812345678' }, 'fc5be76571884e2abd25863deedf5f97');
    add({ name: '访客305' }, 'ed44e798cf594b43b924d8b0d745f48c');
    for (let i = 0; i < 10; i++) add({ name: chineseName(random), mobile: mobile(random) });

    const notFound = (ctx: { notFound: (m: string) => Json }) => ctx.notFound('联系人不存在');

    /** A customer writes in an aggregated conversation (聚合对话): the aggregateMessage callback, a new event_id. */
    const messagesAction = (input: { text?: string; chatId?: string }): ActionResult => {
      const payload = env.callbacks?.build('aggregateMessage', {
        data: {
          push_data: {
            ...(input.chatId ? { chat: { chat_id: input.chatId } } : {}),
            message: {
              message_id: `api_${random.id('', 32).toLowerCase()}`,
              message_content: { text: input.text ?? '你好，想咨询一下' },
              message_create_time: Date.now(),
            },
          },
        },
      });
      return { result: { eventId: payload?.event_id }, callbacks: payload ? [{ event: 'aggregateMessage', payload }] : [] };
    };
    /** The bot joins or leaves a group (群): the roomJoin / roomLeave callback. */
    const roomAction =
      (event: 'roomJoin' | 'roomLeave') =>
      (input: { chatId?: string }): ActionResult => {
        const payload = env.callbacks?.build(event, { chatId: input.chatId ?? random.id('', 24).toLowerCase() });
        return { result: { chatId: payload?.chatId }, callbacks: payload ? [{ event, payload }] : [] };
      };
    const text = { type: 'string', minLength: 1, maxLength: 2000 };
    const id = { type: 'string', minLength: 1, maxLength: 128 };
    return {
      actions: { messages: messagesAction, 'room-join': roomAction('roomJoin'), 'room-leave': roomAction('roomLeave') },
      inputs: {
        messages: { type: 'object', additionalProperties: false, properties: { text, chatId: id } },
        'room-join': { type: 'object', additionalProperties: false, properties: { chatId: id } },
        'room-leave': { type: 'object', additionalProperties: false, properties: { chatId: id } },
      },
      handlers: {
        addContact: ({ body, ok }) => ok({ Data: add(body.contact ?? {}).id }),
        getContact: (ctx) => {
          const c = contacts.get(ctx.query.contact_id);
          return c ? ctx.ok({ Data: structuredClone(c) }) : notFound(ctx);
        },
        listContacts: ({ body, ok }) => {
          const filters: Json[] = body.filter ?? [];
          const list = [...contacts.values()].filter((c) =>
            filters.every((f) =>
              f.filter_condition === 'equal'
                ? String(c[f.filter_key]) === String(f.filter_value)
                : String(c[f.filter_key] ?? '').includes(String(f.filter_value)),
            ),
          );
          return ok({ Data: list.map((c) => ({ id: c.id, name: c.name, mobile: c.mobile, email: c.email })) });
        },
        updateContact: (ctx) => {
          const c = contacts.get(ctx.body.contact_id);
          if (!c) return notFound(ctx);
          Object.assign(c, ctx.body.contact ?? {}, { update_time: stamp() });
          return ctx.ok({ Data: structuredClone(c) });
        },
        deleteContact: (ctx) => {
          const c = contacts.get(ctx.body.contact_id);
          if (!c) return notFound(ctx);
          contacts.delete(ctx.body.contact_id);
          return ctx.ok({ Data: c });
        },
      },
    };
  },
};
