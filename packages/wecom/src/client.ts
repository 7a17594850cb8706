import type { ScrmClient, ScrmClientOptions } from '@scrm-openapi/core';
import { createScrmClient } from '@scrm-openapi/core/internal';
import type { paths } from './generated/openapi.js';
import { profile, type WecomPaginated } from './generated/profile.js';

export interface WecomClientOptions extends ScrmClientOptions {
  /** Your corp id (企业ID), from the admin console: 我的企业 → 企业信息. */
  corpId: string;
  /**
   * The secret of the app that calls 客户联系 APIs: the 客户联系 system app, or a self-built app listed under
   * 客户联系 → 可调用接口的应用. Never logged or put in an error.
   */
  corpSecret: string;
}

/** An openapi-fetch client typed by the WeCom spec, with tokens, retries and `paginate()` handled for you. */
export type WecomClient = ScrmClient<paths, WecomPaginated>;

/**
 * Creates a WeCom 客户联系 client.
 *
 *     const wecom = createWecomClient({ corpId: process.env.WECOM_CORP_ID!, corpSecret: process.env.WECOM_CORP_SECRET! });
 *     const { data, error } = await wecom.POST('/cgi-bin/externalcontact/add_contact_way', { body: { type: 1, scene: 2, user: ['zhangsan'] } });
 */
export function createWecomClient(options: WecomClientOptions): WecomClient {
  const { corpId, corpSecret, ...rest } = options ?? ({} as WecomClientOptions);
  return createScrmClient<paths, WecomPaginated>(profile, { corpId, corpSecret }, rest);
}
