/**
 * The authorization flow of a WeCom suite (应用授权, docs 90597, 90603, 90604): the install link an administrator
 * opens, the one-time auth code exchanged for the corp's permanent code, and the authorization read again after
 * `change_auth`. What WeCom answers is kept in the permanent-code store, without the code itself or any token.
 * `createWecomProvider()` wires it to its suite-level client and its corp token sources.
 */
import { ScrmAuthorizationError, ScrmConfigError, unwrap, type AuthorizationStore, type TokenKind } from '@scrm-openapi/core';
import type { WecomClient } from './client.js';
import { profile } from './generated/profile.js';

const VENDOR = 'wecom';

/** What `completeAuthorization()` saved: the corp and what WeCom said about it (the permanent code stays in the store). */
export interface WecomAuthorization {
  corpId: string;
  corpName: string | undefined;
  /** The `state` of the install link, when it had one. */
  state: string | undefined;
  /** WeCom's answer without the permanent code and any token (auth_corp_info, auth_user_info, auth_info, …). */
  info: Record<string, unknown>;
}

export interface InstallUrlOptions {
  /** Where WeCom sends the admin back with `auth_code` (its domain must be the app's trusted domain, 可信域名). */
  redirectUri: string;
  /** Echoed back with the redirect (and in `get_permanent_code`'s answer): tie the install to your user. */
  state?: string;
  /** Calls `set_session_info` first: `1` for a test authorization (测试授权) of an unreleased app, `0` formal. */
  authType?: 0 | 1;
}

/** The values `installUrl()` supplies to the query of the spec's install page (`x-scrm-tokens.suite.installPage.query`). */
const INSTALL_LINK_VALUES: ReadonlySet<string> = new Set(['suiteId', 'preAuthCode', 'redirectUri', 'state']);

export interface AuthorizationFlowOptions {
  suiteId: string;
  /** The suite-level client (the suite token filled in). */
  client: WecomClient;
  permanentCodeStore: AuthorizationStore;
  /** The spec's install page (`x-scrm-tokens.suite.installPage`). */
  installPage: TokenKind['installPage'];
  /** The user's other page for the link, if any (`installPageUrl`). */
  installPageUrl: string | undefined;
  /** Drops the corp tokens of a corp: a new permanent code makes them useless. */
  dropCorpTokens(corpId: string): Promise<void>;
}

export function authorizationFlow(options: AuthorizationFlowOptions) {
  const { suiteId, client, permanentCodeStore, installPage, installPageUrl, dropCorpTokens } = options;

  /** A fresh install link (get_pre_auth_code, optionally set_session_info) for an admin to authorize the app. */
  const installUrl = async ({ redirectUri, state, authType }: InstallUrlOptions): Promise<string> => {
    if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri)) {
      throw new ScrmConfigError('wecom: installUrl() needs an absolute redirectUri', VENDOR);
    }
    // The page and its query come from the spec (x-scrm-tokens.suite.installPage; installPageUrl only moves the
    // page). A spec without it, or naming a value this module does not supply: a ScrmConfigError before any request.
    if (!installPage) {
      throw new ScrmConfigError(
        'wecom: the spec declares no install page (x-scrm-tokens.suite.installPage); installUrl() cannot build a link',
        VENDOR,
      );
    }
    const unknown = Object.values(installPage.query).find((value) => !INSTALL_LINK_VALUES.has(value));
    if (unknown !== undefined) {
      throw new ScrmConfigError(`wecom: the spec's install page takes ${unknown}, which installUrl() does not supply`, VENDOR);
    }
    const { pre_auth_code } = await unwrap(client.GET('/cgi-bin/service/get_pre_auth_code'));
    if (authType !== undefined) {
      await unwrap(client.POST('/cgi-bin/service/set_session_info', { body: { pre_auth_code, session_info: { auth_type: authType } } }));
    }
    const values: Record<string, string | undefined> = { suiteId, preAuthCode: pre_auth_code, redirectUri, state };
    const url = new URL(installPageUrl ?? installPage.url);
    for (const [name, value] of Object.entries(installPage.query)) {
      const given = values[value];
      // `state` is left out when the caller gives none
      if (given !== undefined) url.searchParams.set(name, given);
    }
    return url.href;
  };

  /** Exchanges the one-time auth code (redirect or `create_auth`) for the permanent code, saved in the store. */
  const completeAuthorization = async (authCode: string): Promise<WecomAuthorization> => {
    if (typeof authCode !== 'string' || authCode === '')
      throw new ScrmConfigError('wecom: completeAuthorization() needs the auth_code', VENDOR);
    // the v2 form when the spec declares it (faster, no corp token in the answer), else v1
    const v2 = profile.operations['POST /cgi-bin/service/v2/get_permanent_code'] !== undefined;
    const answer = (await unwrap(
      v2
        ? client.POST('/cgi-bin/service/v2/get_permanent_code', { body: { auth_code: authCode } })
        : client.POST('/cgi-bin/service/get_permanent_code', { body: { auth_code: authCode } }),
    )) as Record<string, unknown> & { permanent_code: string; auth_corp_info?: { corpid?: string; corp_name?: string }; state?: string };
    const corpId = answer.auth_corp_info?.corpid;
    if (typeof corpId !== 'string' || corpId === '') {
      throw new ScrmConfigError('wecom: get_permanent_code answered without auth_corp_info.corpid', VENDOR);
    }
    const { permanent_code: permanentCode, access_token: _token, expires_in: _expires, errcode: _code, errmsg: _message, ...info } = answer;
    const corpName = answer.auth_corp_info?.corp_name;
    await permanentCodeStore.set(suiteId, corpId, { permanentCode, name: corpName, info, savedAt: Date.now() });
    // a new code (a reset, or a re-install) makes any token of the old one useless
    await dropCorpTokens(corpId);
    return { corpId, corpName, state: answer.state, info };
  };

  /** Re-reads a corp's authorization (`get_auth_info`) and saves it, keeping what only the install told. */
  const refreshAuthorization = async (authCorpId: string): Promise<WecomAuthorization> => {
    if (typeof authCorpId !== 'string' || authCorpId === '')
      throw new ScrmConfigError('wecom: refreshAuthorization() needs the corp id (AuthCorpId)', VENDOR);
    const stored = await permanentCodeStore.get(suiteId, authCorpId);
    if (!stored?.permanentCode) {
      throw new ScrmAuthorizationError(
        { reason: 'not-authorized', appId: suiteId, tenantId: authCorpId },
        { vendor: VENDOR, operation: 'getAuthInfo' },
      );
    }
    const body = { auth_corpid: authCorpId, permanent_code: stored.permanentCode };
    // the v2 form when the spec declares it, as for get_permanent_code
    const v2 = profile.operations['POST /cgi-bin/service/v2/get_auth_info'] !== undefined;
    const answer = (await unwrap(
      v2 ? client.POST('/cgi-bin/service/v2/get_auth_info', { body }) : client.POST('/cgi-bin/service/get_auth_info', { body }),
    )) as Record<string, unknown> & { auth_corp_info?: { corp_name?: string } };
    const { errcode: _code, errmsg: _message, ...fresh } = answer;
    const info = { ...stored.info, ...fresh };
    const corpName = answer.auth_corp_info?.corp_name ?? stored.name;
    await permanentCodeStore.set(suiteId, authCorpId, { ...stored, name: corpName, info, savedAt: Date.now() });
    const state = typeof info.state === 'string' ? info.state : undefined;
    return { corpId: authCorpId, corpName, state, info };
  };

  return { installUrl, completeAuthorization, refreshAuthorization };
}
