import type { ScrmClient, ScrmClientOptions } from '@scrm-openapi/core';
import { createScrmClient } from '@scrm-openapi/core/internal';
import type { paths } from './generated/openapi.js';
import { profile, type WeilingPaginated } from './generated/profile.js';

export interface WeilingClientOptions extends ScrmClientOptions {
  /** The app id of your 开放平台 application (console 设置 → 开放平台), sent as `app_id`. */
  appId: string;
  /** The app secret of that application, sent as `app_secret`. Never logged or put in an error. */
  appSecret: string;
  /**
   * How long an access_token is kept. Weiling documents no lifetime, so the default is 7200 s; a token Weiling
   * refuses earlier is dropped and fetched again (once per call) whatever this says.
   */
  tokenTtlSeconds?: number;
}

/** An openapi-fetch client typed by the Weiling spec, with tokens, retries and `paginate()` handled. */
export type WeilingClient = ScrmClient<paths, WeilingPaginated>;

/**
 * Creates a Weiling client.
 *
 *     const weiling = createWeilingClient({ appId: process.env.WEILING_APP_ID!, appSecret: process.env.WEILING_APP_SECRET! });
 *     const { data } = await weiling.POST('/openapi/contact/batch', { body: { contact_ids: ['…'] } });
 */
export function createWeilingClient(options: WeilingClientOptions): WeilingClient {
  const { appId, appSecret, ...rest } = options ?? ({} as WeilingClientOptions);
  return createScrmClient<paths, WeilingPaginated>(profile, { appId, appSecret }, rest);
}
