import { importFile, moduleUrl } from '../module-location.js';
import type { Delivery } from '../callbacks/index.js';
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
}

/** Answers an operation from state; `undefined` falls back to the spec's example. */
export type Handler = (ctx: HandlerContext) => Json | undefined | Promise<Json | undefined>;

/** A callback to send: the webhook's key in the spec and its (decrypted) payload. */
export interface CallbackEvent {
  event: string;
  payload: Json;
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
}

/** What the sandbox knows of the vendor when it creates its state: the spec's `x-scrm-sandbox.callback`, resolved. */
export interface StateEnv {
  callback?: { token: string; encodingAESKey: string; receiveId: string };
  /** The vendor's working credentials (the spec's `x-scrm-sandbox.credentials`). */
  credentials?: Record<string, string>;
  /**
   * The sandbox's callbacks for this vendor (./callbacks/): `build` a payload from the webhook's example with
   * overrides, `deliver` one now (to the callback URL unless `url` is given) — for pushes on a timer and the like.
   */
  callbacks?: {
    build(event: string, override?: Json): Json;
    deliver(event: string, payload: Json, url?: string): Delivery;
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
