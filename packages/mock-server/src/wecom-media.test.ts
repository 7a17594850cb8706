// Media, app messages and JS-SDK tickets of the WeCom sandbox, through the WeCom client as a user meets them: a file
// with a Chinese name uploads and comes back byte for byte with its name, an unknown media_id is WeCom's typed error,
// app messages are recorded under /_control, tickets are issued and checked.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsapiTickets, createWecomClient, isWecomError, unwrap } from '@scrm-openapi/wecom';
import { startMockServer, type MockServer } from './server.js';

let server: MockServer;
let wecom: ReturnType<typeof createWecomClient>;

beforeAll(async () => {
  server = await startMockServer({ vendors: ['wecom'] });
  wecom = createWecomClient({ ...(server.credentials.wecom as { corpId: string; corpSecret: string }), baseUrl: `${server.url}/wecom` });
});
afterAll(() => server?.close());

// bytes that are not UTF-8 text: a text round trip anywhere would change them
const PDF = Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256);

describe('WeCom media in the sandbox', () => {
  for (const [source, data] of [
    ['a Buffer', () => Buffer.from(PDF)],
    ['a Node Readable', () => Readable.from([Buffer.from(PDF.subarray(0, 1000)), Buffer.from(PDF.subarray(1000))])],
    ['a Blob', () => new Blob([PDF])],
  ] as const) {
    it(`uploads 客户资料.pdf from ${source} and downloads it byte-identical, with its name`, async () => {
      const uploaded = await unwrap(
        wecom.upload('/cgi-bin/media/upload', {
          params: { query: { type: 'file' } },
          form: { media: { data: data(), filename: '客户资料.pdf', contentType: 'application/pdf' } },
        }),
      );
      expect(uploaded.media_id).toBeTruthy();
      const file = await unwrap(wecom.download('/cgi-bin/media/get', { params: { query: { media_id: uploaded.media_id } } }));
      expect(file.fileName).toBe('客户资料.pdf');
      expect(file.contentType).toBe('application/pdf');
      expect(file.bytes).toEqual(PDF);
    });
  }

  it('answers an unknown media_id with WeCom 40007 as JSON on the download URL: a typed error', async () => {
    const result = await wecom.download('/cgi-bin/media/get', { params: { query: { media_id: 'no-such-media' } } });
    expect(isWecomError(result.error) || result.error).toMatchObject({ errcode: 40007 });
    const thrown = await unwrap(wecom.download('/cgi-bin/media/get', { params: { query: { media_id: 'no-such-media' } } })).catch((e) => e);
    expect(isWecomError(thrown)).toBe(true);
    expect(thrown).toMatchObject({ code: 40007, operation: 'mediaGet' });
  });

  it('refuses an upload without the media part (44001) and gives an uploadimg URL', async () => {
    const empty = await wecom.upload('/cgi-bin/media/upload', { params: { query: { type: 'file' } }, form: { other: 'x' } });
    expect(empty.error).toMatchObject({ errcode: 44001 });
    const img = await unwrap(
      wecom.upload('/cgi-bin/media/uploadimg', {
        form: { media: { data: Buffer.from(PDF), filename: '封面.png', contentType: 'image/png' } },
      }),
    );
    expect(img.url).toMatch(/^https:\/\//);
  });
});

describe('WeCom app messages in the sandbox', () => {
  it('records message/send bodies under GET /_control/wecom/messages and marks recalls', async () => {
    const sent = await unwrap(
      wecom.POST('/cgi-bin/message/send', { body: { touser: 'zhangsan', msgtype: 'text', agentid: 1000002, text: { content: '你好' } } }),
    );
    const seen = async () => (await (await fetch(`${server.url}/_control/wecom/messages`)).json()) as { messages: any[] };
    expect((await seen()).messages.at(-1)).toMatchObject({
      msgid: sent.msgid,
      recalled: false,
      message: { msgtype: 'text', text: { content: '你好' } },
    });
    await unwrap(wecom.POST('/cgi-bin/message/recall', { body: { msgid: sent.msgid! } }));
    expect((await seen()).messages.at(-1)).toMatchObject({ msgid: sent.msgid, recalled: true });
  });

  it('validates a message against its msgtype schema (a text message without text is refused)', async () => {
    const refused = await wecom.POST('/cgi-bin/message/send', { body: { touser: 'zhangsan', msgtype: 'text', agentid: 1 } as never });
    expect(refused.error).toBeTruthy();
  });
});

describe('WeCom JS-SDK tickets in the sandbox', () => {
  it('issues corp and agent tickets, and the signatures signJsapi makes verify against them', async () => {
    const tickets = createJsapiTickets(wecom, { corpId: 'sandbox', agentId: 1000002 });
    for (const signed of [
      await tickets.signCorp('https://app.example/sidebar#/x'),
      await tickets.signAgent('https://app.example/sidebar'),
    ]) {
      const verdict = await server.act('wecom', 'jsapi-verify', { url: 'https://app.example/sidebar', ...signed });
      expect(verdict.valid).toBe(true);
    }
    const forged = await server.act('wecom', 'jsapi-verify', {
      url: 'https://app.example/other',
      nonceStr: 'n',
      timestamp: 1,
      signature: 'f'.repeat(40),
    });
    expect(forged.valid).toBe(false);
  });
});
