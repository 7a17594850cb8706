/**
 * JS-SDK support: the signature of `wx.config` / `wx.agentConfig` (`ww.register`) as WeCom documents it (doc 90506),
 * and the corp and app tickets cached like tokens — they live 7200 s and fetching them is limited (a corp 400 an
 * hour, an app 100), so every process of a fleet should share one ticket through a `TokenStore`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MemoryTokenStore, ScrmConfigError, type Logger, type ScrmEvent, type TokenStore, unwrap } from '@scrm-openapi/core';
import { TokenManager } from '@scrm-openapi/core/internal';
import type { WecomClient } from './client.js';

export interface JsapiSignInput {
  /** The corp ticket (`get_jsapi_ticket`) for `wx.config`, or the app ticket (`ticket/get?type=agent_config`) for `wx.agentConfig`. */
  ticket: string;
  /** The random string the page passes to `wx.config` as `nonceStr`. */
  nonceStr: string;
  /** Unix seconds, the same the page passes as `timestamp`. */
  timestamp: number | string;
  /** The page's full URL; anything from `#` on is dropped, as WeCom requires. */
  url: string;
}

/**
 * The JS-SDK signature (doc 90506): SHA-1 (hex) of
 * `jsapi_ticket=TICKET&noncestr=NONCESTR&timestamp=TIMESTAMP&url=URL`, values raw (not URL-escaped), in this order.
 * The same algorithm signs `wx.config` with the corp ticket and `wx.agentConfig` with the app ticket.
 */
export function signJsapi(input: JsapiSignInput): string {
  const { ticket, nonceStr, timestamp, url } = input ?? ({} as JsapiSignInput);
  for (const [name, value] of Object.entries({ ticket, nonceStr, url })) {
    if (typeof value !== 'string' || value === '') throw new ScrmConfigError(`signJsapi(): ${name} must be a non-empty string`, 'wecom');
  }
  if (!/^\d+$/.test(String(timestamp))) throw new ScrmConfigError('signJsapi(): timestamp must be unix seconds', 'wecom');
  const page = url.split('#', 1)[0];
  const text = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${page}`;
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** What a page needs for `wx.config` / `wx.agentConfig` (besides the corp id / agent id and the jsApiList). */
export interface JsapiSignature {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export interface JsapiTicketsOptions {
  /** The corp id: part of the store key (the corp ticket is the corp's, whichever app fetched it). */
  corpId: string;
  /** The app's agentid: part of the app ticket's store key (the app ticket belongs to the app whose token fetched it). */
  agentId: number | string;
  /** Where tickets are kept: this process's memory by default; pass the Redis token store to share them across processes. */
  store?: TokenStore;
  /** Fetch a new ticket this long before the old one expires. Default 5 minutes. */
  refreshMarginMs?: number;
  logger?: Logger;
  onEvent?: (event: ScrmEvent) => void;
  /** Clock (tests). */
  now?: () => number;
}

export interface JsapiTickets {
  /** The corp ticket (企业的jsapi_ticket), cached; concurrent callers share one fetch. */
  corpTicket(): Promise<string>;
  /** The app ticket (应用的jsapi_ticket, `agent_config`), cached; concurrent callers share one fetch. */
  agentTicket(): Promise<string>;
  /** `wx.config` / `ww.register` corp signature for a page URL. */
  signCorp(url: string): Promise<JsapiSignature>;
  /** `wx.agentConfig` / `ww.register` agent signature for a page URL. */
  signAgent(url: string): Promise<JsapiSignature>;
  /** Drops a ticket WeCom refused (the page reported a signature error) so the next call fetches a new one. */
  invalidate(kind: 'corp' | 'agent', ticket: string): Promise<void>;
  /** Ticket fetches made by this object (diagnostics, tests). */
  readonly fetches: { corp: number; agent: number };
}

/**
 * The JS-SDK tickets of one app, cached like tokens (single-flight, refreshed before expiry, kept in a `TokenStore`).
 * Give it the client of the app whose pages use the JS-SDK (its secret's token fetches the tickets).
 *
 *     const tickets = createJsapiTickets(wecom, { corpId, agentId: 1000002, store: createRedisTokenStore(redis) });
 *     const { timestamp, nonceStr, signature } = await tickets.signAgent(pageUrl);
 */
export function createJsapiTickets(client: WecomClient, options: JsapiTicketsOptions): JsapiTickets {
  const { corpId, agentId } = options ?? ({} as JsapiTicketsOptions);
  if (typeof corpId !== 'string' || corpId === '') throw new ScrmConfigError('createJsapiTickets(): corpId is required', 'wecom');
  if (agentId === undefined || agentId === null || String(agentId) === '')
    throw new ScrmConfigError('createJsapiTickets(): agentId is required', 'wecom');
  const store = options.store ?? new MemoryTokenStore();
  const now = options.now ?? Date.now;
  const manager = (key: string, fetch: () => Promise<{ ticket: string; expires_in: number }>) =>
    new TokenManager({
      vendor: 'wecom',
      key,
      store,
      now,
      refreshMarginMs: options.refreshMarginMs,
      logger: options.logger,
      onEvent: options.onEvent,
      fetchToken: async () => {
        const answer = await fetch();
        return { value: answer.ticket, expiresInSeconds: answer.expires_in > 0 ? answer.expires_in : 7200 };
      },
    });
  const corp = manager(`scrm:wecom:jsapi-ticket:corp:${corpId}`, () => unwrap(client.GET('/cgi-bin/get_jsapi_ticket')));
  const agent = manager(`scrm:wecom:jsapi-ticket:agent:${corpId}:${agentId}`, () =>
    unwrap(client.GET('/cgi-bin/ticket/get', { params: { query: { type: 'agent_config' } } })),
  );
  const sign = async (ticket: string, url: string): Promise<JsapiSignature> => {
    const timestamp = Math.floor(now() / 1000);
    const nonceStr = randomBytes(12).toString('base64url');
    return { timestamp, nonceStr, signature: signJsapi({ ticket, nonceStr, timestamp, url }) };
  };
  return {
    corpTicket: () => corp.get(),
    agentTicket: () => agent.get(),
    signCorp: async (url) => sign(await corp.get(), url),
    signAgent: async (url) => sign(await agent.get(), url),
    invalidate: (kind, ticket) => (kind === 'corp' ? corp : agent).invalidate(ticket),
    get fetches() {
      return { corp: corp.fetchCount, agent: agent.fetchCount };
    },
  };
}
