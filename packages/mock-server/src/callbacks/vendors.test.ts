// Every vendor's callbacks, sent by the sandbox and received by that vendor's own callback helper (from its package):
// signed and encrypted for WeCom and Weiling, plain JSON for Juzibot and Jijyun; re-delivered on a non-200 answer as
// each vendor's `x-scrm-sandbox.callbackDelivery` says, and deduplicated by the receiver.
import { createServer, type IncomingMessage } from 'node:http';
import { createJijyunCallback } from '@scrm-openapi/jijyun/callback';
import { createJuzibotClient } from '@scrm-openapi/juzibot';
import { createJuzibotCallback } from '@scrm-openapi/juzibot/callback';
import { createWecomCallback } from '@scrm-openapi/wecom/callback';
import { createWeilingCallback } from '@scrm-openapi/weiling/callback';
import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../index.js';

// each test starts a sandbox (compiling a spec): seconds on a shared machine running the whole suite

interface Delivery {
  path: string;
  query: URLSearchParams;
  body: Buffer;
  contentType?: string;
}

/** A callback receiver: `answer` decides the HTTP status of each delivery (its index from 0). */
async function receiver(answer: (delivery: Delivery, index: number) => Promise<number> | number) {
  const deliveries: Delivery[] = [];
  const http = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const delivery = { path: url.pathname, query: url.searchParams, body: Buffer.concat(chunks), contentType: req.headers['content-type'] };
    deliveries.push(delivery);
    let status = 500;
    try {
      status = await answer(delivery, deliveries.length - 1);
    } catch (error) {
      errors.push(error as Error);
    }
    res.statusCode = status;
    res.end(status === 200 ? 'success' : 'error');
  });
  const errors: Error[] = [];
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  cleanups.push(() => new Promise<void>((r) => http.close(() => r())));
  return { url: `http://127.0.0.1:${port}/hooks`, deliveries, errors };
}

const cleanups: (() => Promise<void>)[] = [];
let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const c of cleanups.splice(0)) await c();
});

const start = async (vendor: string, url: string) =>
  (server = await startMockServer({ vendors: [vendor], callbackUrl: url, callbackTimeScale: 1000 }));

/** Parses with `parse`; a repeat the helper rejects as `replayed` is acknowledged (200) and counted, not processed. */
function dedupingHandler<T>(parse: (d: Delivery) => Promise<T>, events: T[], replays: { n: number }, firstStatus = 200) {
  return async (d: Delivery, index: number) => {
    try {
      events.push(await parse(d));
    } catch (error) {
      if ((error as { reason?: string }).reason !== 'replayed') throw error;
      replays.n++;
      return 200;
    }
    return index === 0 ? firstStatus : 200;
  };
}

describe('WeCom callbacks', { timeout: 20_000 }, () => {
  it('an on-demand callback from the webhook example is verified and decrypted by createWecomCallback', async () => {
    const events: unknown[] = [];
    const hook = await receiver(async (d) => {
      events.push(await wecom.parse(d.query, d.body));
      return 200;
    });
    const s = await start('wecom', hook.url);
    const wecom = createWecomCallback(s.callbacks.wecom!);
    const record = await s.sendCallback('wecom', 'change_external_chat.update', { UpdateDetail: 'add_member', ChatId: 'wrSandboxChat01' });
    expect(hook.errors).toEqual([]);
    expect(record).toMatchObject({ state: 'delivered', attempts: [{ status: 200 }] });
    expect(hook.deliveries[0]?.contentType).toMatch(/xml/);
    expect(events).toEqual([
      expect.objectContaining({
        key: 'change_external_chat.update',
        event: expect.objectContaining({ ToUserName: s.credentials.wecom.corpId, ChatId: 'wrSandboxChat01', UpdateDetail: 'add_member' }),
      }),
    ]);
  });

  it('re-delivers after a 500 (WeCom retries): two deliveries, one event for the receiver', async () => {
    const events: unknown[] = [];
    const replays = { n: 0 };
    const hook = await receiver(dedupingHandler((d) => wecom.parse(d.query, d.body), events, replays, 500));
    const s = await start('wecom', hook.url);
    const wecom = createWecomCallback(s.callbacks.wecom!);
    const { delivered } = await s.addWecomCustomer({ userid: 'lisi' });
    expect(delivered).toBe(false);
    await s.callbacksSettled();
    expect(hook.errors).toEqual([]);
    expect(hook.deliveries).toHaveLength(2);
    expect(events).toHaveLength(1);
    expect(replays.n).toBe(1);
    expect(s.stats().callbacks).toEqual({ 'wecom.change_external_contact.add_external_contact': 2 });
    expect(s.callbackDeliveries()).toMatchObject([{ state: 'delivered', attempts: [{ status: 500 }, { status: 200 }] }]);
  });
});

describe('Weiling callbacks', { timeout: 20_000 }, () => {
  it('a new WeCom friend sends add_customer, signed and encrypted, which createWeilingCallback verifies', async () => {
    const events: unknown[] = [];
    const hook = await receiver(async (d) => {
      events.push(await weiling.parse(d.query, d.body));
      return 200;
    });
    const s = await start('weiling', hook.url);
    const cfg = s.callbacks.weiling!;
    const weiling = createWeilingCallback({ token: cfg.token, encodingAESKey: cfg.encodingAESKey, appId: cfg.receiveId });
    const result = await s.act('weiling', 'customers', { name: '周晓明' });
    expect(result.delivered).toBe(true);
    expect(hook.errors).toEqual([]);
    expect(JSON.parse(hook.deliveries[0]!.body.toString())).toEqual({ to_app: cfg.receiveId, encrypt_msg: expect.any(String) });
    expect(events).toEqual([
      {
        key: 'add_customer',
        payload: expect.objectContaining({
          header: expect.objectContaining({ event_type: 'add_customer', to_app: cfg.receiveId }),
          event: expect.objectContaining({ name: '周晓明', customer_id: result.customerId }),
        }),
      },
    ]);
  });

  it('is not re-delivered after a 500: Weiling documents no retry (maxAttempts 1)', async () => {
    const hook = await receiver(() => 500);
    const s = await start('weiling', hook.url);
    const record = await s.sendCallback('weiling', 'company_add');
    await s.callbacksSettled();
    expect(hook.deliveries).toHaveLength(1);
    expect(record).toMatchObject({ state: 'failed', maxAttempts: 1, attempts: [{ status: 500 }] });
  });
});

describe('Juzibot callbacks', { timeout: 20_000 }, () => {
  it('message/send answers at once and its outcome comes by the sendResult callback to <url>/sendResult', async () => {
    const results: unknown[] = [];
    const hook = await receiver(async (d) => {
      results.push(await juzibot.parse('sendResult', d.body, { path: d.path }));
      return 200;
    });
    const s = await start('juzibot', hook.url);
    const juzibot = createJuzibotCallback({ token: s.credentials.juzibot.token });
    const client = createJuzibotClient({ ...(s.credentials.juzibot as { token: string }), baseUrl: `${s.url}/juzibot` });
    const { data } = await client.POST('/api/v2/message/send', {
      body: {
        externalRequestId: 'order-1',
        imBotId: '1688853462929494',
        imContactId: '7881301204958266',
        messageType: 7,
        payload: { text: '您好' },
      },
    } as never);
    await s.callbacksSettled();
    await expect.poll(() => hook.deliveries.length).toBe(1);
    await s.callbacksSettled();
    expect(hook.errors).toEqual([]);
    expect(hook.deliveries[0]!.path).toBe('/hooks/sendResult');
    expect(results).toEqual([
      expect.objectContaining({ externalRequestId: 'order-1', requestId: (data as unknown as { requestId: string }).requestId }),
    ]);
    // the same externalRequestId again: deduplicated by the vendor, no second send, no second callback
    await client.POST('/api/v2/message/send', {
      body: {
        externalRequestId: 'order-1',
        imBotId: '1688853462929494',
        imContactId: '7881301204958266',
        messageType: 7,
        payload: { text: '您好' },
      },
    } as never);
    await new Promise((r) => setTimeout(r, 50));
    expect(hook.deliveries).toHaveLength(1);
  });

  it('re-delivers a message callback after a 500: two deliveries, one message for the receiver (its token checked)', async () => {
    const events: unknown[] = [];
    const replays = { n: 0 };
    const hook = await receiver(dedupingHandler((d) => juzibot.parse('message', d.body, { path: d.path }), events, replays, 500));
    const s = await start('juzibot', hook.url);
    const juzibot = createJuzibotCallback({ token: s.credentials.juzibot.token });
    await s.act('juzibot', 'messages', { text: '在吗' });
    await s.callbacksSettled();
    expect(hook.errors).toEqual([]);
    expect(hook.deliveries.map((d) => d.path)).toEqual(['/hooks/message', '/hooks/message']);
    expect(events).toEqual([expect.objectContaining({ payload: { text: '在吗' } })]);
    expect(replays.n).toBe(1);
  });
});

describe('Jijyun callbacks', { timeout: 20_000 }, () => {
  it('a customer message sends aggregateMessage with a new event_id, parsed by createJijyunCallback', async () => {
    const events: Record<string, unknown>[] = [];
    const hook = await receiver(async (d) => {
      events.push(await jijyun.parse('aggregateMessage', d.body, { path: d.path }));
      return 200;
    });
    const s = await start('jijyun', hook.url);
    const jijyun = createJijyunCallback({ allowedCompanyIds: ['100234'] });
    const first = await s.act('jijyun', 'messages', { text: '周末几点开门？' });
    const second = await s.act('jijyun', 'messages');
    expect(hook.errors).toEqual([]);
    expect(first.delivered && second.delivered).toBe(true);
    expect(first.eventId).not.toBe(second.eventId);
    expect(hook.deliveries.map((d) => d.path)).toEqual(['/hooks/aggregateMessage', '/hooks/aggregateMessage']);
    expect(events.map((e) => e.event_id)).toEqual([first.eventId, second.eventId]);
  });

  it('re-pushes the same event_id until answered 200: 500 then 200 is two deliveries and one event', async () => {
    const events: unknown[] = [];
    const replays = { n: 0 };
    const hook = await receiver(dedupingHandler((d) => jijyun.parse('roomJoin', d.body, { path: d.path }), events, replays, 500));
    const s = await start('jijyun', hook.url);
    const jijyun = createJijyunCallback();
    await s.act('jijyun', 'room-join', { chatId: 'sandbox-room-1' });
    await s.callbacksSettled();
    expect(hook.errors).toEqual([]);
    expect(hook.deliveries).toHaveLength(2);
    expect(hook.deliveries[1]!.body.equals(hook.deliveries[0]!.body)).toBe(true);
    expect(events).toEqual([expect.objectContaining({ chatId: 'sandbox-room-1' })]);
    expect(replays.n).toBe(1);
  });

  it('stops after the declared attempts when never acknowledged (maxAttempts 5)', async () => {
    const hook = await receiver(() => 503);
    const s = await start('jijyun', hook.url);
    const record = await s.sendCallback('jijyun', 'roomLeave');
    expect(hook.deliveries).toHaveLength(5);
    expect(record).toMatchObject({ state: 'failed', maxAttempts: 5 });
    expect(s.stats().callbacks).toEqual({ 'jijyun.roomLeave': 5 });
  });
});
