/**
 * The web OAuth authorize URL of a WeCom app (构造网页授权链接, doc 91022): the page a member is sent to so that WeCom
 * redirects back with `?code=CODE&state=STATE`, which `GET /cgi-bin/auth/getuserinfo` resolves into a userid.
 */
import { ScrmConfigError } from '@scrm-openapi/core';

export interface OauthAuthorizeUrlOptions {
  /** The corp id (企业的CorpID), sent as `appid`. */
  corpId: string;
  /** Where WeCom sends the member back; its domain must be the app's trusted domain (可信域名). URL-encoded for you. */
  redirectUri: string;
  /**
   * `snsapi_base` (silent: the member's userid, the default) or `snsapi_privateinfo` (the member consents; the answer
   * carries a `user_ticket` for `auth/getuserdetail`; needs `agentId`).
   */
  scope?: 'snsapi_base' | 'snsapi_privateinfo';
  /** Echoed back on the redirect: a–z, A–Z, 0–9, up to 128 bytes (use it against CSRF). */
  state?: string;
  /** The app's agentid; required for `snsapi_privateinfo` and recommended always. */
  agentId?: number | string;
}

/**
 * `https://open.weixin.qq.com/connect/oauth2/authorize?appid=CORPID&redirect_uri=…&response_type=code&scope=snsapi_base&state=STATE&agentid=AGENTID#wechat_redirect`
 */
export function oauthAuthorizeUrl(options: OauthAuthorizeUrlOptions): string {
  const { corpId, redirectUri, scope = 'snsapi_base', state = '', agentId } = options ?? ({} as OauthAuthorizeUrlOptions);
  const fail = (message: string) => new ScrmConfigError(`oauthAuthorizeUrl(): ${message}`, 'wecom');
  if (typeof corpId !== 'string' || corpId === '') throw fail('corpId is required');
  if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri)) throw fail('redirectUri must be an absolute URL');
  if (scope !== 'snsapi_base' && scope !== 'snsapi_privateinfo') throw fail('scope must be snsapi_base or snsapi_privateinfo');
  if (!/^[a-zA-Z0-9]{0,128}$/.test(state)) throw fail('state may hold only a-z, A-Z, 0-9, up to 128 characters');
  if (scope === 'snsapi_privateinfo' && (agentId === undefined || String(agentId) === ''))
    throw fail('agentId is required with scope snsapi_privateinfo');
  let query =
    `appid=${encodeURIComponent(corpId)}&redirect_uri=${encodeURIComponent(redirectUri)}` +
    `&response_type=code&scope=${scope}&state=${state}`;
  if (agentId !== undefined && String(agentId) !== '') query += `&agentid=${encodeURIComponent(String(agentId))}`;
  return `https://open.weixin.qq.com/connect/oauth2/authorize?${query}#wechat_redirect`;
}
