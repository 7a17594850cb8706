// Juzibot sandbox state: channels (渠道) and the WeCom 「联系我」 configs created through the hub, and customers.
import type { Random } from '../random.js';
import { chineseName, type ActionResult, type StateEnv, type StateModule } from './index.js';

type Json = Record<string, any>;

export const juzibot: StateModule = {
  create(random: Random, env: StateEnv) {
    const channels: Json[] = [];
    const ways = new Map<string, Json>();
    const customers: Json[] = [];
    const createWay = (body: Json, config_id = random.id('', 32).toLowerCase()) => {
      const way = { ...body, config_id, qr_code: `https://sandbox.scrm-openapi.invalid/qr/${config_id}`, createdAt: Date.now() };
      ways.set(config_id, way);
      return way;
    };
    createWay(
      { type: 1, scene: 2, remark: '售后临时会话', skip_verify: true, state: 'after_sale_01', user: ['zhangsan'] },
      '42b34949e138eb6e027c123cba77fAAA',
    );
    for (const [remark, tags] of [
      ['门店导购码', ['春季活动', '到店客户']],
      ['官网客服码', ['官网咨询']],
      ['展会引流码', ['展会']],
    ] as const) {
      channels.push({
        state: `${random.id('', 8).toLowerCase()}-${random.id('', 4).toLowerCase()}-${random.id('', 4).toLowerCase()}`,
        configId: random.id('', 32).toLowerCase(),
        remark,
        createDate: new Date(Date.now() - random.int(1, 90) * 86_400_000).toISOString(),
        tagNames: tags.map((name) => ({ id: random.id('et', 30), name })),
      });
    }
    for (let i = 0; i < 25; i++) {
      customers.push({
        externalUserId: random.id('wm', 30),
        unionId: random.id('ozyn', 24),
        name: chineseName(random),
        avatar: `https://sandbox.scrm-openapi.invalid/avatar/${i}.png`,
        gender: random.int(1, 2),
        type: 1,
        followUser: [
          {
            userId: random.pick(['zhangsan', 'lisi']),
            name: '张三',
            remark: '',
            createTimestamp: Date.now() - random.int(1, 60) * 86_400_000,
            tags: [],
          },
        ],
      });
    }
    // message/send: the vendor deduplicates by externalRequestId for two months (两月内幂等)
    const sent = new Map<string, string>();
    // a send is acknowledged at once; its outcome comes later by the 发送消息回调 (sendResult)
    const send = ({
      body,
      ok,
      random: r,
      callback,
    }: {
      body: Json;
      ok: (f: Json) => Json;
      random: Random;
      callback: (e: string, p: Json) => void;
    }) => {
      const id = body.externalRequestId as string | undefined;
      if (id && sent.has(id)) return ok({ requestId: sent.get(id) });
      const requestId = r.id('', 24).toLowerCase();
      if (id) sent.set(id, requestId);
      callback('sendResult', {
        ...(id ? { externalRequestId: id } : {}),
        requestId,
        messageId: r.id('', 24).toLowerCase(),
        sendCode: 0,
        errorCode: 0,
      });
      return { ...ok({ requestId }), __applied: true };
    };
    /** A customer writes to a bot: the message callback (消息回调), echoing the enterprise token as Juzibot does. */
    const messagesAction = (input: { text?: string; contactName?: string }): ActionResult => {
      const payload = env.callbacks?.build('message', {
        token: env.credentials?.token,
        messageId: random.id('', 24).toLowerCase(),
        timestamp: String(Date.now()),
        ...(input.contactName ? { contactName: input.contactName } : {}),
        payload: { text: input.text ?? '你好，想咨询一下' },
      });
      return { result: { messageId: payload?.messageId }, callbacks: payload ? [{ event: 'message', payload }] : [] };
    };
    const text = { type: 'string', minLength: 1, maxLength: 2000 };
    return {
      actions: { messages: messagesAction },
      inputs: { messages: { type: 'object', additionalProperties: false, properties: { text, contactName: text } } },
      handlers: {
        messageSend: send,
        channelList: ({ ok, page: paged }) => {
          const { page, fields } = paged(channels, 20);
          return ok(fields(page));
        },
        contactWayAdd: ({ body, ok }) => {
          const way = createWay(body);
          if (body.state)
            channels.push({
              state: body.state,
              configId: way.config_id,
              remark: body.remark ?? '',
              createDate: new Date().toISOString(),
              tagNames: [],
            });
          return ok({ config_id: way.config_id, qr_code: way.qr_code });
        },
        contactWayGet: (ctx) => {
          const way = ways.get(ctx.query.config_id);
          if (!way) return ctx.notFound('invalid config_id');
          const { createdAt: _c, ...contact_way } = way;
          return ctx.ok({ contact_way });
        },
        contactWayList: ({ ok, page: paged }) => {
          const { page, fields } = paged(
            [...ways.values()].sort((a, b) => a.createdAt - b.createdAt),
            100,
          );
          return ok(fields(page.map((w) => ({ config_id: w.config_id }))));
        },
        customerList: ({ query, ok, page: paged }) => {
          const list = query.userId ? customers.filter((c) => c.followUser.some((f: Json) => f.userId === query.userId)) : customers;
          const { page, fields } = paged(list, 20);
          return ok(fields(page));
        },
      },
    };
  },
};
