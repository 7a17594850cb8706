/**
 * `@scrm-openapi/wecom/callback` — receiving WeCom callbacks (回调): URL verification, signature check,
 * decryption, replay protection and typed events; plus `createWecomCallbackSigner()`, which produces valid signed
 * and encrypted callbacks for tests and the sandbox. The crypto lives in `@scrm-openapi/core` (WxBizMsgCrypt).
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { ScrmCallbackError, type CallbackQuery, type SignedCallbackOptions } from '@scrm-openapi/core';
import { contentKey, createSignedCallbackFlow, WxBizMsgCrypt } from '@scrm-openapi/core/internal';
import { callbackFields, type WecomCallbackKey } from './generated/callbacks.js';
import { profile } from './generated/profile.js';
import type { webhooks } from './generated/webhooks.js';
import type { WecomClient } from './client.js';
import type { WecomAuthorization, WecomProvider } from './provider.js';

const VENDOR = 'wecom';

export interface WecomCallbackOptions extends SignedCallbackOptions {
  /** The callback Token configured with the callback URL. */
  token: string;
  /** The 43-character EncodingAESKey configured with the callback URL. */
  encodingAESKey: string;
  /** The corpid for corp and self-built-app callbacks; the suite id for third-party suite callbacks. */
  receiveId: string;
}

export type { CallbackQuery };

type Payload<K extends keyof webhooks> = webhooks[K] extends { post: { requestBody?: { content: infer C } } } ? C[keyof C] : never;

/** A parsed callback: `key` tells which event it is and narrows `event`. Events the spec does not know have `key: null`. */
export type WecomCallback =
  | { [K in WecomCallbackKey]: { key: K; event: Payload<K>; xml: string } }[WecomCallbackKey]
  | { key: null; event: Record<string, unknown>; xml: string };

export interface WecomCallbackReceiver {
  /** Handles the GET that WeCom sends when the callback URL is saved: returns the plaintext to answer with. */
  verifyUrl(query: CallbackQuery): string;
  /** Verifies, decrypts and parses a POSTed callback. Throws `ScrmCallbackError` for anything not genuine. */
  parse(query: CallbackQuery, rawBody: string | Uint8Array): Promise<WecomCallback>;
  /** An encrypted passive reply (`<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>`). */
  encryptReply(message: string, options?: { timestamp?: string; nonce?: string }): string;
}

const listPaths = new Set(Object.entries(callbackFields.lists).map(([field, item]) => `xml.${field}.${item}`));
const integerFields = new Set<string>(callbackFields.integers);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  isArray: (_tag: string, jPath: unknown) => listPaths.has(String(jPath)),
});
const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false, suppressEmptyNode: false });

function parseXml(xml: string, what: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ScrmCallbackError('malformed-body', `${what} contains a DTD`, VENDOR);
  let parsed: unknown;
  try {
    parsed = parser.parse(xml, true);
  } catch {
    throw new ScrmCallbackError('malformed-body', `${what} is not well-formed XML`, VENDOR);
  }
  const root = (parsed as { xml?: unknown } | undefined)?.xml;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new ScrmCallbackError('malformed-body', `${what} has no <xml> root element`, VENDOR);
  }
  return root as Record<string, unknown>;
}

/**
 * Turns the parsed XML into the typed shape: integers as numbers, repeated elements as arrays. Third-party suite
 * callbacks carry `InfoType` / `TimeStamp` / `AuthCorpId` instead of `Event` / `CreateTime` / `ToUserName`: the
 * missing fields are filled from them (the originals stay), as the spec's `WecomSuiteEventEnvelope` says, so code
 * that reads them works for both forms. A document with none of `MsgType`, `Event` and `InfoType` is no WeCom
 * callback (every event, message and instruction callback has one) and is refused.
 */
function normalize(parsed: Record<string, unknown>): Record<string, unknown> {
  const root = { ...parsed };
  if (![root.MsgType, root.Event, root.InfoType].some((v) => typeof v === 'string' && v !== '')) {
    throw new ScrmCallbackError('invalid-payload', 'decrypted message has none of <MsgType>, <Event> and <InfoType>', VENDOR);
  }
  if (root.Event === undefined && typeof root.InfoType === 'string') root.Event = root.InfoType;
  if (root.CreateTime === undefined && root.TimeStamp !== undefined) root.CreateTime = root.TimeStamp;
  if (root.ToUserName === undefined && root.AuthCorpId !== undefined) root.ToUserName = root.AuthCorpId;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(root)) {
    if (name in callbackFields.lists) {
      const item = callbackFields.lists[name as keyof typeof callbackFields.lists];
      const list = value && typeof value === 'object' ? (value as Record<string, unknown>)[item] : undefined;
      out[name] = Array.isArray(list) ? list.map(String) : [];
    } else if (integerFields.has(name) && typeof value === 'string') {
      if (value === '') continue;
      if (!/^-?\d{1,16}$/.test(value)) throw new ScrmCallbackError('invalid-payload', `${name} is not an integer`, VENDOR);
      out[name] = Number(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

function keyOf(event: Record<string, unknown>): WecomCallbackKey | null {
  for (const candidate of callbackFields.events) {
    const match = candidate.match as Record<string, unknown>;
    if (Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => event[k] === v)) {
      return candidate.key as WecomCallbackKey;
    }
  }
  return null;
}

export function createWecomCallback(options: WecomCallbackOptions): WecomCallbackReceiver {
  const crypt = new WxBizMsgCrypt({ ...options, vendor: VENDOR });
  const flow = createSignedCallbackFlow(crypt, options, VENDOR);
  const now = options.now ?? Date.now;

  return {
    verifyUrl: (query) => flow.verifyUrl(query),

    async parse(query, rawBody) {
      const signed = flow.request(query);
      const outer = parseXml(flow.body(rawBody), 'body');
      const encrypted = outer.Encrypt;
      if (typeof encrypted !== 'string' || encrypted === '') {
        throw new ScrmCallbackError('malformed-body', 'body has no <Encrypt> element', VENDOR);
      }
      const xml = flow.open(signed, encrypted);
      const event = normalize(parseXml(xml, 'decrypted message'));
      await flow.rejectReplay(signed, typeof event.MsgId === 'string' && event.MsgId !== '' ? `msg:${event.MsgId}` : contentKey(xml));
      return { key: keyOf(event), event, xml } as WecomCallback;
    },

    encryptReply(message, replyOptions = {}) {
      const { encrypted, signature, timestamp, nonce } = crypt.seal(message, replyOptions, now);
      return builder.build({
        xml: { Encrypt: { __cdata: encrypted }, MsgSignature: { __cdata: signature }, TimeStamp: timestamp, Nonce: { __cdata: nonce } },
      }) as string;
    },
  };
}

export interface WecomProviderCallbackOptions extends Omit<WecomCallbackOptions, 'receiveId'> {
  /**
   * Called for every genuine event, after the provider did its part (ticket kept, authorization saved or dropped). A
   * data event of an authorizing corp (it carries `AuthCorpId`) comes with `corp`, that corp's client. Throwing
   * makes `handle()` reject, so WeCom delivers the event again.
   */
  onEvent?: (event: WecomProviderEvent) => void | Promise<void>;
}

/** An event of the suite's 指令回调 URL, with what the provider made of it. */
export type WecomProviderEvent = WecomCallback & {
  /** The corp the event is about (`AuthCorpId`), when it names one. */
  corpId?: string | undefined;
  /** `provider.forCorp(corpId)`, for events naming a corp that is (still) authorized. */
  corp?: WecomClient | undefined;
  /** What `create_auth` / `reset_permanent_code` saved, or what `change_auth` read again. */
  authorization?: WecomAuthorization | undefined;
};

export interface WecomProviderCallback {
  /** Handles the GET that WeCom sends when the 指令回调 URL is saved: returns the plaintext to answer with. */
  verifyUrl(query: CallbackQuery): string;
  /**
   * Verifies, decrypts and acts on a POSTed event (`suite_ticket` kept; `create_auth` and `reset_permanent_code`
   * exchange the auth code; `change_auth` reads the authorization again; `cancel_auth` drops the corp), then calls
   * `onEvent`. Answer WeCom with the plain text
   * `success` once it resolves.
   */
  handle(query: CallbackQuery, rawBody: string | Uint8Array): Promise<WecomProviderEvent>;
}

/**
 * The one receiver of a suite's 指令回调 URL (receive id = the suite id): keeps the suite ticket fresh, runs the
 * authorization events and hands each event to your handler, with the corp's client when the event names a corp.
 *
 *     const callback = createWecomProviderCallback(provider, { token, encodingAESKey, onEvent: async ({ key, event, corp }) => { ... } });
 *     app.post('/wecom/suite', async (req, res) => { await callback.handle(req.query, req.rawBody); res.send('success'); });
 */
export function createWecomProviderCallback(provider: WecomProvider, options: WecomProviderCallbackOptions): WecomProviderCallback {
  const { onEvent, ...receiverOptions } = options;
  const receiver = createWecomCallback({ ...receiverOptions, receiveId: provider.suiteId });
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const ticketSpec = profile.tokens?.suite?.ticket;
  return {
    verifyUrl: (query) => receiver.verifyUrl(query),
    async handle(query, rawBody) {
      const parsed = await receiver.parse(query, rawBody);
      const event = parsed.event as Record<string, unknown>;
      const corpId = text(event.AuthCorpId);
      const out: WecomProviderEvent = { ...parsed, corpId };
      // the pushed suite ticket: its webhook and field are the spec's (x-scrm-tokens.suite.ticket)
      if (ticketSpec && parsed.key === ticketSpec.webhook) {
        const ticket = text(event[ticketSpec.field]);
        if (!ticket) throw new ScrmCallbackError('invalid-payload', `${parsed.key} without ${ticketSpec.field}`, VENDOR);
        const at = typeof event.TimeStamp === 'number' ? event.TimeStamp * 1000 : Date.now();
        await provider.saveSuiteTicket(ticket, at);
      }
      switch (parsed.key) {
        case 'create_auth':
        case 'reset_permanent_code': {
          const code = text(event.AuthCode);
          if (!code) throw new ScrmCallbackError('invalid-payload', `${parsed.key} without AuthCode`, VENDOR);
          out.authorization = await provider.completeAuthorization(code);
          out.corpId ??= out.authorization.corpId;
          break;
        }
        case 'change_auth':
          // the corp changed what it authorized: the stored authorization is read again
          if (corpId) out.authorization = await provider.refreshAuthorization(corpId);
          break;
        case 'cancel_auth':
          if (corpId) await provider.cancelAuthorization(corpId);
          break;
      }
      if (out.corpId && parsed.key !== 'cancel_auth') out.corp = provider.forCorp(out.corpId);
      await onEvent?.(out);
      return out;
    },
  };
}

/** Builds the decrypted XML of an event: strings as CDATA, numbers as text, lists as repeated elements. */
export function buildCallbackXml(event: Readonly<Record<string, unknown>>): string {
  const node: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      const item = (callbackFields.lists as Record<string, string>)[name] ?? 'Item';
      node[name] = { [item]: value.map(String) };
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      node[name] = value;
    } else {
      node[name] = { __cdata: String(value) };
    }
  }
  return builder.build({ xml: node }) as string;
}

export interface SignedCallback {
  /** The query string WeCom would send (msg_signature, timestamp, nonce[, echostr]). */
  query: Record<string, string>;
  /** The POST body (empty for URL verification). */
  body: string;
  /** `url` with the query appended. */
  urlFor(url: string): string;
}

/**
 * Produces genuine WeCom callbacks (signed and encrypted exactly as WeCom does) for tests and the sandbox.
 *
 *     const signer = createWecomCallbackSigner({ token, encodingAESKey, receiveId: corpId });
 *     const { query, body } = signer.event({ ToUserName: corpId, FromUserName: 'sys', CreateTime: 1700000000,
 *       MsgType: 'event', Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: 'zhangsan', ExternalUserID: 'wm1' });
 */
export function createWecomCallbackSigner(options: Pick<WecomCallbackOptions, 'token' | 'encodingAESKey' | 'receiveId' | 'now'>) {
  const crypt = new WxBizMsgCrypt({ ...options, vendor: VENDOR });
  const now = options.now ?? Date.now;
  const finish = (query: Record<string, string>, body: string): SignedCallback => ({
    query,
    body,
    urlFor: (url) => `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(query).toString()}`,
  });
  return {
    /** A POSTed event. `event` is an object (serialized as WeCom does) or ready-made XML. */
    event(
      event: Readonly<Record<string, unknown>> | string,
      at: { timestamp?: string; nonce?: string; agentId?: string } = {},
    ): SignedCallback {
      const xml = typeof event === 'string' ? event : buildCallbackXml(event);
      const { encrypted, signature, timestamp, nonce } = crypt.seal(xml, at, now);
      const outer: Record<string, unknown> = { ToUserName: { __cdata: options.receiveId } };
      if (at.agentId !== undefined) outer.AgentID = { __cdata: at.agentId };
      outer.Encrypt = { __cdata: encrypted };
      return finish({ msg_signature: signature, timestamp, nonce }, builder.build({ xml: outer }) as string);
    },
    /** The GET WeCom sends when the callback URL is saved; the receiver must answer with `plaintext`. */
    urlVerification(plaintext: string, at: { timestamp?: string; nonce?: string } = {}): SignedCallback {
      const { encrypted: echostr, signature, timestamp, nonce } = crypt.seal(plaintext, at, now);
      return finish({ msg_signature: signature, timestamp, nonce, echostr }, '');
    },
  };
}

export { MemoryDedupeStore, ScrmCallbackError } from '@scrm-openapi/core';
export type { CallbackRejection, DedupeStore } from '@scrm-openapi/core';
// Generated from the spec's webhooks: the callbacks' types (kept out of the root entry, which types the API calls).
export type { webhooks } from './generated/webhooks.js';
export type * from './generated/webhook-schemas.js';
export type { WecomCallbackEvent, WecomCallbackKey } from './generated/callbacks.js';
