import type { ScrmClient, ScrmClientOptions } from '@scrm-openapi/core';
import { createScrmClient } from '@scrm-openapi/core/internal';
import type { paths } from './generated/openapi.js';
import { profile, type JijyunPaginated } from './generated/profile.js';

export interface JijyunClientOptions extends Omit<ScrmClientOptions, 'tokenStore' | 'tokenRefreshMarginMs' | 'tokenTtlSeconds'> {
  /** The assistant key (应用助手集成配置页面), sent as `apiKey` on the assistant family (`/v1/openapi/...`). */
  apiKey: string;
  /**
   * The key from 语聚AI's API接口 page for the AI-marketing family (`/v1/api/ai/...`: AI outbound calls, hosted
   * WeCom accounts). When omitted, those calls use `apiKey`.
   */
  marketingApiKey?: string;
}

/** An openapi-fetch client typed by the Jijyun spec, with keys, retries, typed errors and `paginate()` handled. */
export type JijyunClient = ScrmClient<paths, JijyunPaginated>;

/**
 * Creates a 语聚AI Jijyun client.
 *
 *     const jijyun = createJijyunClient({ apiKey: process.env.JIJYUN_API_KEY!, marketingApiKey: process.env.JIJYUN_MARKETING_API_KEY });
 *     const { data } = await jijyun.GET('/v1/openapi/contacts', { params: { query: { contact_id: '…' } } });
 */
export function createJijyunClient(options: JijyunClientOptions): JijyunClient {
  const { apiKey, marketingApiKey, ...rest } = options ?? ({} as JijyunClientOptions);
  const credentials: Record<string, string> = { apiKey };
  if (marketingApiKey !== undefined) credentials.marketingApiKey = marketingApiKey;
  return createScrmClient<paths, JijyunPaginated>(profile, credentials, rest);
}
