import type { ScrmClient, ScrmClientOptions } from '@scrm-openapi/core';
import { createScrmClient } from '@scrm-openapi/core/internal';
import type { paths } from './generated/openapi.js';
import { profile, type JuzibotPaginated } from './generated/profile.js';

export interface JuzibotClientOptions extends Omit<ScrmClientOptions, 'tokenStore' | 'tokenRefreshMarginMs'> {
  /** The enterprise-level token (企业级 token) from the 句客宝 console; used by every `/api/...` call. */
  token: string;
  /**
   * The group-level token (小组级 token, 智能对话 → API接入); needed only for the group-level operations
   * (`/bot/list`, `/message/send`, `/room/*`, `/broadcast/*`) and `bot/weChatExpiredInfo`.
   */
  groupToken?: string;
}

/** An openapi-fetch client typed by the Juzibot spec, with credentials, retries and `paginate()` handled. */
export type JuzibotClient = ScrmClient<paths, JuzibotPaginated>;

/**
 * Creates a Juzibot client.
 *
 *     const juzibot = createJuzibotClient({ token: process.env.JUZIBOT_TOKEN!, groupToken: process.env.JUZIBOT_GROUP_TOKEN });
 *     for await (const channel of juzibot.paginate('/api/v1/channel/list')) console.log(channel.state);
 *
 * Group-level operations go to the group-level host unless `baseUrl` is set (the sandbox serves both under one URL).
 */
export function createJuzibotClient(options: JuzibotClientOptions): JuzibotClient {
  const { token, groupToken, ...rest } = options ?? ({} as JuzibotClientOptions);
  const credentials: Record<string, string> = { token };
  if (groupToken !== undefined) credentials.groupToken = groupToken;
  return createScrmClient<paths, JuzibotPaginated>(profile, credentials, rest);
}
