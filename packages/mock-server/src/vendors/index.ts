import { importFile, moduleUrl } from '../module-location.js';
import type { Random } from '../random.js';
import type { OperationRuntime, SandboxAnswer, VendorName } from '../spec.js';

type Json = Record<string, any>;

export interface HandlerContext {
  op: OperationRuntime;
  query: Json;
  params: Json;
  body: Json;
  /** A success body in the operation's envelope with these fields. */
  ok(fields: Json): Json;
  /**
   * One page of `items` as the operation's `x-scrm-pagination` says (the request's cursor / page number and page
   * size, `defaultSize` when it gives none); `fields(pageItems)` puts the page, the next cursor and the total where
   * the answer carries them.
   */
  page<T>(items: readonly T[], defaultSize: number): { page: T[]; fields(pageItems: unknown[]): Json };
  /** A vendor error answer. */
  fail(code: SandboxAnswer, message: string): Json;
  /** The vendor's answer to an id that names nothing (`x-scrm-sandbox.notFound`, else its parameter error). */
  notFound(message: string): Json;
  random: Random;
  now: number;
  /**
   * The tenant the request's token was issued for (WeCom: the corp id of a corp that installed the sandbox's app);
   * undefined for the vendor's own default account (the self-built app's corp) and for calls without a token.
   */
  tenant?: string;
  /** Issues a token of a kind (`corp`, or a kind of `x-scrm-tokens`) valid for `tenant`, as the token endpoint would. */
  issueToken(kind: string, tenant?: string): { token: string; expiresIn: number };
}

/** Answers an operation from state; `undefined` falls back to the spec's example. */
export type Handler = (ctx: HandlerContext) => Json | undefined | Promise<Json | undefined>;

/** A callback an action wants sent: the request to POST to the configured callback URL. */
export interface CallbackDelivery {
  url(callbackUrl: string): string;
  /**
   * Where it goes: the sandbox's `callbackUrl` (default), or the URL its `callbackUrls` option gives for this channel
   * (WeCom `suite`: the instruction callback URL of the sandbox's third-party app); not sent when that has none.
   */
  channel?: string;
  body: string;
  contentType: string;
}

/** What a sandbox-only action answers (its JSON result), and the callback it triggers, if any. */
export interface ActionResult {
  result: Json;
  callback?: CallbackDelivery;
}

export interface VendorState {
  handlers: Record<string, Handler>;
  /**
   * Sandbox-only actions (a customer adding a member …), run by `POST /_control/<vendor>/<action>` and
   * `MockServer.act()`; a callback they return is delivered to `callbackUrl`.
   */
  actions?: Record<string, (input: Json) => ActionResult>;
  /** The JSON schema of each action's input (checked before it runs: a refused input is HTTP 400). */
  inputs?: Record<string, object>;
  /**
   * Actions the sandbox runs by itself, every so many milliseconds (WeCom `suite-ticket`: every 10 minutes), once at
   * start and then on the interval; the sandbox's `schedules` option changes an interval or switches it off.
   */
  schedules?: Record<string, number>;
  /**
   * Checks the credentials of a token request of a kind the spec declares (`x-scrm-tokens`, or the vendor's own kind)
   * that are not fixed sandbox credentials (a suite ticket, a corp's permanent code): answers the option name that is
   * refused, or the tenant the token will be valid for. A kind it does not know: `{ refused }` of the first option.
   */
  tokenRequest?(kind: string, given: Record<string, string>): { refused: string } | { tenant?: string };
  /** Whether tokens issued for `tenant` are still honoured (false once the tenant cancelled the authorization). */
  tenantActive?(tenant: string): boolean;
}

/** What the sandbox knows of the vendor when it creates its state: the spec's `x-scrm-sandbox.callback`, resolved. */
export interface StateEnv {
  callback?: { token: string; encodingAESKey: string; receiveId: string };
  /** The spec's `x-scrm-sandbox.provider`, its callback's receiver id resolved to the credential's value. */
  provider?: {
    callback: { token: string; encodingAESKey: string; receiveId: string };
    ticketIntervalSeconds?: number;
    ticketTtlSeconds?: number;
    preAuthCodeTtlSeconds?: number;
    authCodeTtlSeconds?: number;
  };
  /** The vendor's default account (WeCom: the self-built app's corp id), from `x-scrm-sandbox.credentials`. */
  credentials?: Record<string, string>;
}

export interface StateModule {
  create(random: Random, env: StateEnv): VendorState;
}

/**
 * The state module of a vendor: `./<vendor>.js` beside this file, exporting it under the vendor's name. A vendor
 * without one is served from its spec's examples alone.
 */
export async function loadStateModule(vendor: VendorName): Promise<StateModule | undefined> {
  if (!/^[a-z][a-z0-9-]*$/.test(vendor)) throw new Error(`not a vendor name: ${JSON.stringify(vendor)}`);
  // a URL rather than a literal template, so that bundlers and vitest resolve it at run time like Node does
  const url = new URL(`./vendors/${vendor}.js`, moduleUrl).href;
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(url);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`${vendor}.js`))
      return undefined;
    throw error;
  }
  const found = mod[vendor.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())];
  if (!found || typeof (found as StateModule).create !== 'function') throw new Error(`${url} must export a StateModule named ${vendor}`);
  return found as StateModule;
}

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
];
export const GIVEN = [
  '晓明',
  '丽娜',
  '建国',
  '子涵',
  '雨桐',
  '浩然',
  '思远',
  '欣怡',
  '志强',
  '佳怡',
  '俊杰',
  '梓萱',
  '宇航',
  '梦琪',
  '天宇',
];
export const COMPANIES = [
  '上海华信科技有限公司',
  '杭州瓴创科技有限公司',
  '深圳市云帆网络有限公司',
  '北京星河教育科技有限公司',
  '广州悦享餐饮管理有限公司',
  '成都蜀都医疗器械有限公司',
];
export const CITIES = ['上海', '北京', '杭州', '深圳', '广州', '成都', '南京', '武汉'];

export function chineseName(random: Random): string {
  return random.pick(SURNAMES) + random.pick(GIVEN);
}

export function mobile(random: Random): string {
  return `1${random.pick(['38', '39', '58', '86', '88', '37'])}${String(random.int(10_000_000, 99_999_999))}`;
}
