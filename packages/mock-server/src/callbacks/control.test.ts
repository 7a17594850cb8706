// `/_control/callbacks`: a callback on demand, checked like every control input, and the deliveries listed.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../index.js';

let server: MockServer;
let hookUrl: string;
const bodies: { path: string; body: string }[] = [];
const http = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  bodies.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString() });
  res.end('{}');
});

beforeAll(async () => {
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const address = http.address();
  hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  server = await startMockServer({ vendors: ['juzibot', 'jijyun'], callbackUrl: hookUrl, callbackTimeScale: 1000 });
});
afterAll(async () => {
  await server.close();
  await new Promise<void>((r) => http.close(() => r()));
});

const post = async (body: unknown) => {
  const res = await fetch(`${server.url}/_control/callbacks`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
};

describe('POST /_control/callbacks', () => {
  it('sends the webhook example with the given fields merged in, to the kind’s own URL', async () => {
    const { status, json } = await post({ vendor: 'juzibot', event: 'roomJoined', payload: {} });
    expect(status).toBe(200);
    expect(json.callback).toMatchObject({ vendor: 'juzibot', event: 'roomJoined', state: 'delivered', url: `${hookUrl}/roomJoined` });
    const sent = await post({
      vendor: 'jijyun',
      event: 'aggregateMessage',
      payload: { company_id: '999', data: { push_data: { chat: { chat_title: '新群' } } } },
    });
    expect(sent.status).toBe(200);
    const received = JSON.parse(bodies.at(-1)!.body);
    expect(received).toMatchObject({ company_id: '999', data: { push_data: { chat: { chat_title: '新群', chat_type: '群聊' } } } });
    // the field receivers dedupe on is new for every callback built from the example
    expect(received.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(received.event_id).not.toBe('7d1e4c2a9b3f4e8d8c6a5b4f3e2d1c0b');
  });

  it('refuses what it cannot send, naming the field: 400, never 500', async () => {
    for (const [body, message] of [
      [{ event: 'message' }, /vendor: is required/],
      [{ vendor: 'nope', event: 'message' }, /vendor: must be one of juzibot, jijyun/],
      [{ vendor: 'jijyun', event: 'nope' }, /event: must be one of message, roomJoin/],
      [{ vendor: 'jijyun', event: 'roomJoin', payload: [] }, /payload: must be object/],
      [{ vendor: 'jijyun', event: 'roomJoin', payload: { chatId: 42 } }, /chatId must be string/],
      [{ vendor: 'jijyun', event: 'roomJoin', url: 'ftp://x' }, /url: must match/],
      [{ vendor: 'jijyun', event: 'roomJoin', extra: 1 }, /extra: is not a known field/],
    ] as const) {
      const { status, json } = await post(body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.error).toMatch(message);
    }
  });

  it('lists the deliveries and counts the attempts in the stats', async () => {
    const list = (await (await fetch(`${server.url}/_control/callbacks`)).json()) as {
      callbacks: { event: string; attempts: unknown[] }[];
    };
    expect(list.callbacks.map((c) => c.event)).toEqual(['roomJoined', 'aggregateMessage']);
    expect(list.callbacks.every((c) => c.attempts.length === 1)).toBe(true);
    const stats = (await (await fetch(`${server.url}/_control/stats`)).json()) as { callbacks: Record<string, number> };
    expect(stats.callbacks).toEqual({ 'juzibot.roomJoined': 1, 'jijyun.aggregateMessage': 1 });
  });
});
