/**
 * The sandbox's callbacks: every vendor's webhooks (`webhooks` of its spec) sent to a URL the way the vendor sends
 * them — the payload checked against the webhook's schema, encoded and signed as `./encode.ts` reads from the spec,
 * POSTed to the callback URL (to `<url>/<kind>` when `x-scrm-sandbox.callbackDelivery.urlPerKind`), and delivered
 * again while the receiver does not answer HTTP 200, up to `callbackDelivery.maxAttempts` deliveries spaced by
 * `delaySeconds` (divided by the `timeScale` option, so tests run in milliseconds). Every delivery and its attempts
 * are recorded for `stats()` and `GET /_control/callbacks`.
 *
 * One path for all: state modules, `POST /_control/callbacks` and other sandbox modules (a suite ticket push …) call
 * `deliver(vendor, event, payload, url?, via?)`. A vendor may have further channels besides its callback URL, each
 * signed with a configuration of its own and sent to a URL of its own (WeCom `suite`: the instruction callback of the
 * sandbox's app for service providers, which receives suite tickets and authorization events).
 */
import { randomBytes } from 'node:crypto';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { VendorName, VendorRuntime } from '../spec.js';
import { createEncoder, type PayloadFormat, type SigningConfig, type WireCallback } from './encode.js';

export { eventXml, type SigningConfig, type WireCallback } from './encode.js';

type Json = Record<string, any>;

export interface CallbackOptions {
  /** Where callbacks go unless a delivery names its own URL. Without one, deliveries are recorded as `not-sent`. */
  url?: string;
  /** Time runs this many times faster for the pauses between re-deliveries (`delaySeconds / timeScale`). Default 1. */
  timeScale?: number;
  /** How long one attempt waits for an answer before it counts as failed. Default 5000 ms (WeCom's limit). */
  timeoutMs?: number;
  /**
   * Further channels of a vendor, by vendor and channel name: the configuration their callbacks are signed with and
   * where they go (a channel without a URL: recorded as `not-sent`).
   */
  channels?: Record<VendorName, Record<string, { signing: SigningConfig; url?: string }>>;
}

/** Where a delivery goes and in what form, when not the vendor's callback URL and the payload as it is. */
export interface DeliveryRoute {
  /** A channel of `CallbackOptions.channels`: its signing configuration, and its URL unless `deliver` is given one. */
  channel?: string;
  /** The payload as put on the wire, when it differs from the one checked against the webhook's schema. */
  wire?: (payload: Json) => Json;
}

/** One attempt at delivering a callback: the HTTP status the receiver answered, or why there was none. */
export interface CallbackAttempt {
  at: string;
  status?: number;
  error?: string;
}

/** A callback and what became of it. */
export interface CallbackRecord {
  id: number;
  vendor: VendorName;
  event: string;
  /** The channel it went through, when not the vendor's callback URL. */
  channel?: string;
  /** The URL it was POSTed to (without the signature query). */
  url?: string;
  /** `pending` while attempts remain, `delivered` once answered HTTP 200, `failed` when attempts ran out. */
  state: 'pending' | 'delivered' | 'failed' | 'not-sent';
  maxAttempts: number;
  attempts: CallbackAttempt[];
}

export interface Delivery {
  record: CallbackRecord;
  /** Whether the first attempt was acknowledged (HTTP 200). */
  first: Promise<boolean>;
  /** The record once delivered or given up. */
  done: Promise<CallbackRecord>;
}

/** Records kept for `GET /_control/callbacks` (the oldest are dropped beyond this). */
const KEEP = 1000;

interface VendorCallbacks {
  runtime: VendorRuntime;
  signing?: SigningConfig;
  encoders: Map<string, (payload: Json) => WireCallback>;
  validators: Map<string, ValidateFunction>;
}

export class CallbackSender {
  readonly #vendors = new Map<VendorName, VendorCallbacks>();
  readonly #options: CallbackOptions;
  readonly #records: CallbackRecord[] = [];
  readonly #attempts: Record<string, number> = {};
  readonly #pending = new Set<Promise<CallbackRecord>>();
  readonly #timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  #next = 1;
  #closed = false;

  constructor(vendors: readonly VendorRuntime[], signing: Record<VendorName, SigningConfig>, options: CallbackOptions = {}) {
    const scale = options.timeScale ?? 1;
    if (!(scale > 0 && Number.isFinite(scale))) throw new Error('callbackTimeScale must be a positive number');
    this.#options = options;
    for (const runtime of vendors)
      this.#vendors.set(runtime.name, { runtime, signing: signing[runtime.name], encoders: new Map(), validators: new Map() });
  }

  /** The webhooks (callback kinds) of a vendor, by their key in the spec. */
  events(vendor: VendorName): string[] {
    return Object.keys(this.#vendors.get(vendor)?.runtime.webhooks ?? {});
  }

  /** Vendors whose spec declares webhooks. */
  vendors(): VendorName[] {
    return [...this.#vendors.keys()].filter((v) => this.events(v).length > 0);
  }

  /**
   * A payload for `event` from the webhook's example, `override` merged in (objects field by field, anything else
   * replaced), the receiver id put where `callback.payloadReceiver` says and the field receivers dedupe on
   * (`callbackDelivery.dedupeBy`) made new unless the override gives it.
   */
  build(vendor: VendorName, event: string, override: Json = {}): Json {
    const v = this.#vendor(vendor);
    const media = this.#media(v, event);
    const example = media.example ?? (Object.values(media.media.examples ?? {})[0] as Json | undefined)?.value ?? {};
    const payload = merge(structuredClone(example), override);
    const receiverPath = v.runtime.sandbox.callback?.payloadReceiver;
    if (v.signing && receiverPath && getPath(override, receiverPath) === undefined) setPath(payload, receiverPath, v.signing.receiveId);
    const dedupeBy = v.runtime.sandbox.callbackDelivery?.dedupeBy;
    if (dedupeBy && getPath(payload, dedupeBy) !== undefined && getPath(override, dedupeBy) === undefined)
      setPath(payload, dedupeBy, randomBytes(16).toString('hex'));
    return payload;
  }

  /** Checks a payload against the webhook's schema; an Error naming the field when it does not match. */
  check(vendor: VendorName, event: string, payload: unknown): void {
    const v = this.#vendor(vendor);
    let validate = v.validators.get(event);
    if (!validate) {
      const { pointer } = this.#media(v, event);
      validate = v.runtime.validatorAt(`${pointer}/schema`);
      v.validators.set(event, validate);
    }
    if (!validate(payload)) {
      const e = validate.errors?.[0];
      const field =
        e?.keyword === 'required'
          ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`
          : (e?.instancePath ?? '');
      throw new Error(
        `the ${vendor} ${event} payload does not match its schema: ${field.replace(/^\//, '').replace(/\//g, '.') || '(root)'} ${e?.message ?? ''}`.trim(),
      );
    }
  }

  /**
   * Sends callback `event` of `vendor` with `payload` (checked against the webhook's schema) to `url` (default: the
   * sandbox's callback URL), and again while it is not acknowledged, as the vendor's `callbackDelivery` says.
   */
  deliver(vendor: VendorName, event: string, payload: Json, url?: string, via: DeliveryRoute = {}): Delivery {
    const v = this.#vendor(vendor);
    this.check(vendor, event, payload);
    let signing = v.signing;
    if (via.channel !== undefined) {
      const channel = this.#options.channels?.[vendor]?.[via.channel];
      if (!channel) throw new Error(`${vendor} has no callback channel ${via.channel}`);
      signing = channel.signing;
      url ??= channel.url;
    } else url ??= this.#options.url;
    const delivery = v.runtime.sandbox.callbackDelivery;
    const maxAttempts = delivery?.maxAttempts ?? 1;
    const target = url === undefined ? undefined : delivery?.urlPerKind ? `${url.replace(/\/+$/, '')}/${event}` : url;
    const record: CallbackRecord = {
      id: this.#next++,
      vendor,
      event,
      ...(via.channel !== undefined ? { channel: via.channel } : {}),
      url: target,
      state: target ? 'pending' : 'not-sent',
      maxAttempts,
      attempts: [],
    };
    this.#records.push(record);
    if (this.#records.length > KEEP) this.#records.shift();
    if (!target) return { record, first: Promise.resolve(false), done: Promise.resolve(record) };

    // encoded once: a re-delivery is the same request again
    const wire = this.#encoder(v, event, signing, via.channel)(via.wire ? via.wire(payload) : payload);
    const href = Object.keys(wire.query).length ? `${target}${target.includes('?') ? '&' : '?'}${new URLSearchParams(wire.query)}` : target;
    const delayMs = ((delivery?.delaySeconds ?? 1) * 1000) / (this.#options.timeScale ?? 1);
    let firstResult: (ok: boolean) => void = () => {};
    const first = new Promise<boolean>((r) => (firstResult = r));
    const done = (async () => {
      for (let n = 1; n <= maxAttempts && !this.#closed; n++) {
        if (n > 1) await this.#sleep(delayMs);
        if (this.#closed) break;
        const attempt = await this.#attempt(href, wire);
        record.attempts.push(attempt);
        const key = `${vendor}.${event}`;
        this.#attempts[key] = (this.#attempts[key] ?? 0) + 1;
        const ok = attempt.status === 200;
        if (n === 1) firstResult(ok);
        if (ok) {
          record.state = 'delivered';
          return record;
        }
      }
      firstResult(false);
      record.state = 'failed';
      return record;
    })();
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
    return { record, first, done };
  }

  /** Every recorded delivery (the newest last), copied. */
  list(): CallbackRecord[] {
    return structuredClone(this.#records);
  }

  /** Delivery attempts per `<vendor>.<event>`. */
  attempts(): Record<string, number> {
    return { ...this.#attempts };
  }

  /** Resolves when no delivery is pending (re-deliveries included). */
  async settled(): Promise<void> {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  /** Stops re-delivering (pending deliveries end as they are). */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.#timers.clear();
  }

  async #attempt(href: string, wire: WireCallback): Promise<CallbackAttempt> {
    const at = new Date().toISOString();
    try {
      const res = await fetch(href, {
        method: 'POST',
        body: wire.body,
        headers: { 'content-type': wire.contentType },
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return { at, status: res.status };
    } catch (error) {
      const name = (error as Error).name;
      return { at, error: name === 'TimeoutError' ? 'no answer in time' : 'connection failed' };
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.#timers.add(entry);
    });
  }

  #vendor(vendor: VendorName): VendorCallbacks {
    const v = this.#vendors.get(vendor);
    if (!v) throw new Error(`${vendor} is not served`);
    return v;
  }

  #media(v: VendorCallbacks, event: string): { media: Json; example: unknown; format: PayloadFormat; pointer: string } {
    const hook = v.runtime.webhooks[event];
    if (!Object.hasOwn(v.runtime.webhooks, event) || !hook)
      throw new Error(`${v.runtime.name} has no callback ${event}; its callbacks: ${this.events(v.runtime.name).join(', ') || 'none'}`);
    const item = resolveRef(v.runtime.spec, hook);
    const body = resolveRef(v.runtime.spec, item.post?.requestBody);
    const [type, media] = Object.entries((body?.content ?? {}) as Record<string, Json>)[0] ?? [];
    if (!type || !media) throw new Error(`the ${v.runtime.name} callback ${event} declares no payload`);
    // the pointer goes through the webhook entry as written: ajv follows the $refs
    const pointer = `#/${['webhooks', event, 'post', 'requestBody', 'content', type].map(escapePointer).join('/')}`;
    return { media, example: media.example, format: /xml/.test(type) ? 'xml' : 'json', pointer };
  }

  #encoder(v: VendorCallbacks, event: string, signing: SigningConfig | undefined, channel = '') {
    const key = `${channel}/${event}`;
    let encode = v.encoders.get(key);
    if (!encode) {
      const { format, media } = this.#media(v, event);
      const schema = resolveRef(v.runtime.spec, media.schema);
      const listItems = (field: string) => resolveRef(v.runtime.spec, schema?.properties?.[field])?.items?.xml?.name ?? 'Item';
      encode = createEncoder(format, signing, v.runtime.name, listItems);
      v.encoders.set(key, encode);
    }
    return encode;
  }
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function resolveRef(spec: Json, node: any): any {
  let current = node;
  for (let i = 0; current?.$ref && i < 10; i++) {
    current = String(current.$ref)
      .replace(/^#\//, '')
      .split('/')
      .reduce((acc: any, k: string) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return current;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `override` merged into `base`: objects field by field, anything else replaced. */
function merge(base: unknown, override: unknown): any {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : structuredClone(override);
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = merge(base[k], v);
  return out;
}

function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((acc, k) => (isObject(acc) ? acc[k] : undefined), obj);
}

function setPath(obj: Json, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = obj;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(node[k])) node[k] = {};
    node = node[k];
  }
  node[keys.at(-1)!] = value;
}
