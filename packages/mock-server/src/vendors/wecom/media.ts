// WeCom sandbox state beside 客户联系 (issue 20 part B; a part of ../wecom.ts, not a vendor module): temporary media kept byte for byte, app messages recorded,
// JS-SDK tickets issued and expired like tokens.
import { createHash, randomBytes } from 'node:crypto';
import type { Random } from '../../random.js';
import type { ActionResult, Handler } from '../index.js';

type Json = Record<string, any>;

interface StoredMedia {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
  type: string;
  createdAt: number;
}

/** Temporary media live 3 days (doc 90253). */
const MEDIA_TTL_MS = 3 * 86_400_000;

export function wecomMediaState(random: Random, options: { ticketTtlSeconds?: number } = {}) {
  const media = new Map<string, StoredMedia>();
  const messages: Json[] = [];
  const tickets = new Map<string, { kind: 'corp' | 'agent'; expiresAt: number }>();
  const ticketTtl = options.ticketTtlSeconds ?? 7200;
  // seed: the ids the spec's examples use (media/get's media_id, message/recall's msgid)
  media.set('1G6nrLmr5EC3MMb_-zK1dDdzmd0p7cNliYu9V5w7o8K0', {
    bytes: new TextEncoder().encode('sandbox media: the file the spec examples name\n'),
    contentType: 'text/plain',
    fileName: '示例文件.txt',
    type: 'file',
    createdAt: Number.POSITIVE_INFINITY,
  });
  messages.push({
    msgid: 'vcT8gGc-7dFb4bxT35ONjBDz901sLlXPZw1DAMC_Gc26qRpK-AK5sTJkkb0128t',
    sentAt: Math.floor(Date.now() / 1000),
    recalled: false,
    message: { touser: 'zhangsan', msgtype: 'text', agentid: 1000002, text: { content: '示例消息' } },
  });

  const fileOf = (form: FormData | undefined) => {
    const part = form?.get('media');
    return part && typeof part === 'object' && part.size > 0 ? (part as File) : undefined;
  };
  const upload: Handler = async ({ form, query, ok, fail, now }) => {
    const file = fileOf(form);
    if (!file) return fail(44001, 'empty media data: send the file as the multipart part named media');
    const media_id = `3${random.id('', 40)}`;
    media.set(media_id, {
      bytes: new Uint8Array(await file.arrayBuffer()),
      contentType: file.type || 'application/octet-stream',
      fileName: file.name || 'media',
      type: String(query.type ?? 'file'),
      createdAt: now,
    });
    return ok({ type: String(query.type), media_id, created_at: String(Math.floor(now / 1000)) });
  };
  const issueTicket =
    (kind: 'corp' | 'agent'): Handler =>
    ({ ok, now }) => {
      const ticket = `sandbox-${kind}-ticket-${randomBytes(16).toString('hex')}`;
      tickets.set(ticket, { kind, expiresAt: now + ticketTtl * 1000 });
      return ok({ ticket, expires_in: ticketTtl });
    };

  const handlers: Record<string, Handler> = {
    mediaUpload: upload,
    mediaUploadimg: async ({ form, ok, fail }) => {
      const file = fileOf(form);
      if (!file) return fail(44001, 'empty media data: send the image as the multipart part named media');
      return ok({ url: `https://sandbox.scrm-openapi.invalid/img/${random.id('', 24)}/0` });
    },
    mediaGet: ({ query, fail, file, now }) => {
      const found = media.get(String(query.media_id));
      if (!found || now - found.createdAt > MEDIA_TTL_MS) return fail(40007, 'invalid media_id');
      return file({ bytes: found.bytes, contentType: found.contentType, fileName: found.fileName });
    },
    appMessageSend: ({ body, ok, now }) => {
      const msgid = random.id('', 40);
      messages.push({ msgid, sentAt: Math.floor(now / 1000), recalled: false, message: body });
      return ok({ invaliduser: '', invalidparty: '', invalidtag: '', unlicenseduser: '', msgid });
    },
    messageRecall: ({ body, ok, fail }) => {
      const message = messages.find((m) => m.msgid === body.msgid);
      if (!message) return fail(40008, 'invalid msgid');
      message.recalled = true;
      return ok({});
    },
    getJsapiTicket: issueTicket('corp'),
    ticketGet: issueTicket('agent'),
  };

  /** Checks a page's JS-SDK signature against the tickets the sandbox issued (and that have not expired). */
  const verifyJsapi = (input: Json): ActionResult => {
    const page = input.url.split('#', 1)[0];
    for (const [ticket, issued] of tickets) {
      if (issued.expiresAt <= Date.now()) continue;
      const text = `jsapi_ticket=${ticket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${page}`;
      if (createHash('sha1').update(text).digest('hex') === input.signature) return { result: { valid: true, kind: issued.kind } };
    }
    return { result: { valid: false } };
  };

  return {
    handlers,
    actions: { 'jsapi-verify': verifyJsapi },
    inputs: {
      'jsapi-verify': {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'nonceStr', 'timestamp', 'signature'],
        properties: {
          url: { type: 'string', minLength: 1 },
          nonceStr: { type: 'string', minLength: 1 },
          timestamp: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^[0-9]+$' }] },
          signature: { type: 'string', minLength: 1 },
        },
      },
    },
    views: {
      // app messages as sent (message/send bodies), newest last, with their msgid and whether they were recalled
      messages: () => ({ messages: structuredClone(messages) }),
      media: () => ({
        media: [...media].map(([media_id, m]) => ({
          media_id,
          type: m.type,
          fileName: m.fileName,
          contentType: m.contentType,
          size: m.bytes.byteLength,
        })),
      }),
    },
  };
}
