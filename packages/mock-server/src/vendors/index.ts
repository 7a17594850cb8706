import { importFile, moduleUrl } from '../module-location.js';
import type { VendorProfile } from '@scrm-openapi/core';
import type { Delivery, DeliveryRoute } from '../callbacks/index.js';
import type { Random } from '../random.js';
import type { OperationRuntime, SandboxAnswer, VendorName } from '../spec.js';

type Json = Record<string, any>;

export interface HandlerContext {
  op: OperationRuntime;
  query: Json;
  params: Json;
  body: Json;
  /** The parts of a multipart/form-data request (an upload), parsed; undefined for other bodies. */
  form?: FormData | undefined;
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
  /** Sends a callback after the answer (a state change the vendor reports by callback, e.g. a send's result). */
  callback(event: string, payload: Json): void;
  /** A file answer (a download): the bytes as they are, with their content type and, in Content-Disposition, their name. */
  file(file: { bytes: Uint8Array; contentType: string; fileName: string }): Json;
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

/** A callback to send: the webhook's key in the spec and its (decrypted) payload. */
export interface CallbackEvent {
  event: string;
  payload: Json;
  /**
   * Where it goes when not to the vendor's callback URL: a channel of the sandbox (WeCom `suite`: the instruction
   * callback URL of the sandbox's app for service providers, 指令回调URL, signed with that app's configuration). A
   * channel without a URL (the `callbackUrls` option) is not sent.
   */
  channel?: string;
  /**
   * What goes on the wire when it differs from the payload, which is checked against the webhook's schema as it is
   * (WeCom's third-party form of a 客户联系 event: the suite envelope in place of the self-built one).
   */
  wire?: (payload: Json) => Json;
}

/** What a sandbox-only action answers (its JSON result), and the callbacks it triggers, if any. */
export interface ActionResult {
  result: Json;
  callbacks?: CallbackEvent[];
}

export interface VendorState {
  handlers: Record<string, Handler>;
  /**
   * Sandbox-only actions (a customer adding a member …), run by `POST /_control/<vendor>/<action>` and
   * `MockServer.act()`; the callbacks they return are delivered to `callbackUrl`.
   */
  actions?: Record<string, (input: Json) => ActionResult>;
  /** The JSON schema of each action's input (checked before it runs: a refused input is HTTP 400). */
  inputs?: Record<string, object>;
  /** Read-only views of the state (messages sent …), served as `GET /_control/<vendor>/<view>`. */
  views?: Record<string, () => Json>;
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
    /** Where its instruction callbacks go (the sandbox's `callbackUrls.suite`); undefined: nowhere. */
    callbackUrl?: string;
    /** For the sandbox only; default: the `ticket` of the token kind in `tokens`. */
    ticketIntervalSeconds?: number;
    ticketTtlSeconds?: number;
    preAuthCodeTtlSeconds?: number;
    authCodeTtlSeconds?: number;
  };
  /**
   * The spec's further token kinds as compiled (`x-scrm-tokens`, the profile's `tokens`): among others, the ticket a
   * kind's token request needs that the vendor pushes (its webhook, payload field, lifetime and push interval).
   */
  tokens?: VendorProfile['tokens'];
  /** The vendor's working credentials (the spec's `x-scrm-sandbox.credentials`; WeCom: the self-built app's corp). */
  credentials?: Record<string, string>;
  /**
   * The sandbox's callbacks for this vendor (./callbacks/): `build` a payload from the webhook's example with
   * overrides, `deliver` one now (to the callback URL unless `url` or a channel of `via` says otherwise) — for pushes
   * on a timer and the like.
   */
  callbacks?: {
    build(event: string, override?: Json): Json;
    deliver(event: string, payload: Json, url?: string, via?: DeliveryRoute): Delivery;
  };
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
