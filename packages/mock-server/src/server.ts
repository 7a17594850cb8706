/**
 * The sandbox server: every operation of every vendor spec routed under `/<vendor>`, requests validated against
 * the spec, tokens issued and checked like the vendor, state for the resources people create and read back,
 * answers from the spec's examples for the rest, fault injection, and the vendors' callbacks (./callbacks/) sent to a
 * URL on the state changes that cause them and on demand. Nothing here names a vendor: what differs comes from the specs' compiled
 * models and the state modules in ./vendors/.
 */
import { randomBytes } from 'node:crypto';
import type { RateLimitRule } from '@scrm-openapi/core';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  compileVendor,
  describeErrors,
  loadFiles,
  VENDORS,
  type OperationRuntime,
  type SandboxAnswer,
  type VendorFiles,
  type VendorName,
  type VendorRuntime,
} from './spec.js';
import { CallbackSender, type CallbackRecord, type SigningConfig } from './callbacks/index.js';
import { callbackRoutes } from './callbacks/control.js';
import { checkedBy, FaultQueue, registerControl } from './control.js';
import { indexPage, type IndexLinks } from './index-page.js';
import { pageFor, pageOfExample, setPath } from './paging.js';
import { createRandom } from './random.js';
import { RateLimiter, type RateLimitOptions } from './rate-limit.js';
import type { ValidationMode } from './validation.js';
import { loadStateModule, type Handler, type HandlerContext, type VendorState } from './vendors/index.js';

export { pageFor } from './paging.js';

export const FAULT_KINDS = [
  'busy',
  'rate-limit',
  'token-expired',
  'http-500',
  'http-429',
  'timeout',
  'malformed',
  'html',
  'reset',
  'reset-after',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The callback channel of a vendor's app for service providers (`x-scrm-sandbox.provider.callback`; WeCom: the
 * instruction callback, 指令回调, whose receiver id is the suite id): its URL is `callbackUrls.suite`.
 */
const PROVIDER_CHANNEL = 'suite';

export interface MockServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Vendors to serve. Default: all of them (`VENDORS`). */
  vendors?: readonly VendorName[];
  /**
   * Vendors to serve besides those, from files: a bundled spec and the compiled model codegen wrote for it (a vendor
   * being written, before it is a dependency of the sandbox; the "new vendor" test). Served under `/<x-scrm-vendor>`.
   */
  extraSpecs?: readonly VendorFiles[];
  /** Seed of the generated data (customers, contacts …): the same seed gives the same data. Default 1. */
  seed?: number;
  /**
   * Random faults: `rate` (0–1) of requests get one of `kinds` (default: all kinds but timeout and the resets).
   * `reset` drops the connection before the request is processed; `reset-after` processes it, then drops the
   * connection before answering (the answer is lost: the case idempotency keys exist for).
   */
  faults?: { rate?: number; kinds?: readonly FaultKind[] };
  /** Lifetime of issued tokens. Default 7200 s. */
  tokenTtlSeconds?: number;
  /** How long a `timeout` fault holds the answer. Default 30000 ms. */
  timeoutFaultMs?: number;
  /**
   * `strict` (default): JSON bodies are checked as sent (no type coercion) and query / path parameters are read as
   * their declared type only when the text is its canonical literal, as the vendors do; a wrong type gets the
   * vendor's parameter error naming the field. `lenient`: ajv's type coercion (`"1"` passes for an integer).
   */
  validation?: ValidationMode;
  /**
   * Where to POST the vendors' callbacks (signed and encrypted as each vendor does; to `<callbackUrl>/<kind>` for a
   * vendor that configures one URL per kind).
   */
  callbackUrl?: string;
  /**
   * Where to POST the callbacks of a named channel instead (WeCom `suite`: the instruction callback URL, 指令回调URL, of
   * the sandbox's third-party app, which receives the suite tickets and the authorization events). A channel without
   * a URL here is not delivered.
   */
  callbackUrls?: Record<string, string>;
  /**
   * The interval, in ms, of the actions the sandbox runs by itself, by `<vendor>/<action>` (WeCom `wecom/suite-ticket`,
   * default from the spec: every 600 s, when `callbackUrls.suite` is set); `false` switches one off. Each runs once at
   * start, then on its interval.
   */
  schedules?: Record<string, number | false>;
  /**
   * Time runs this many times faster for the pauses between callback re-deliveries (`x-scrm-sandbox.callbackDelivery`
   * `delaySeconds`): 1000 turns WeCom's 5 s into 5 ms. Default 1.
   */
  callbackTimeScale?: number;
  /**
   * Enforce each spec's `x-scrm-rate-limits`, answering a call over a limit as the vendor does; `timeScale` (time
   * runs n times faster) and `limitScale` (every limit divided by n) make them felt in seconds. See ./rate-limit.ts.
   */
  rateLimits?: RateLimitOptions;
  /**
   * Sees every answer the sandbox sends (status, headers, body text) and the operation it was for
   * (`<vendor>.<operationId>`, undefined for a path that is none): for audits such as the credential sweep.
   */
  onAnswer?: (answer: { operation?: string; status: number; headers: Record<string, unknown>; body: string }) => void;
  /** Receives one line per request: method, the operation's route (never the URL with its query), status, time. */
  log?: (line: string) => void;
  /** Where the front page (`GET /`) links to: the docs site and the demo, when they run beside the sandbox. */
  links?: IndexLinks;
}

export interface MockServer {
  /** The base URL; each vendor is served under `${url}/<vendor>`. */
  url: string;
  /**
   * Working credentials of each served vendor, under the option names of its client factory (from the spec's
   * `x-scrm-sandbox.credentials`): spread them into `create<Vendor>Client({ ...credentials.wecom, baseUrl })`.
   */
  credentials: Record<VendorName, any>;
  /**
   * The callback configuration the sandbox signs with, for each served vendor whose spec has
   * `x-scrm-sandbox.callback` (for `create<Vendor>Callback`, e.g. `callbacks.wecom`).
   */
  callbacks: Record<VendorName, { token: string; encodingAESKey: string; receiveId: string }>;
  /**
   * The sandbox's app for service providers, for each vendor whose spec declares one (`x-scrm-sandbox.tokens` and
   * `.provider`): its fixed credentials under their option names (WeCom `suiteId`, `suiteSecret`, `providerCorpId`,
   * `providerSecret`) and the configuration of its instruction callback (receiver id: the suite id).
   */
  providers: Record<
    VendorName,
    { credentials: Record<string, string>; callback?: { token: string; encodingAESKey: string; receiveId: string } }
  >;
  /**
   * The rate-limit rules the sandbox enforces for each vendor (the spec's, scaled by the `rateLimits` option):
   * configure the client's throttle with them (`throttle: { rules: sandbox.rateLimits.wecom }`).
   */
  rateLimits: Record<VendorName, RateLimitRule[]>;
  /**
   * Counters: requests per operation, state changes applied by non-idempotent writes, and calls refused for a rate
   * limit (`rateLimited`, when the sandbox enforces them).
   */
  stats(): {
    requests: Record<string, number>;
    applied: Record<string, number>;
    rateLimited: Record<string, number>;
    /** Callback delivery attempts per `<vendor>.<event>` (re-deliveries included). */
    callbacks: Record<string, number>;
  };
  /**
   * Makes the next `count` requests (a positive integer, default 1) of an operation (`vendor`, optional `operation`
   * id) fail with `kind`; throws on an unknown kind or vendor or a count that is not a positive integer.
   */
  injectFault(fault: { vendor?: VendorName; operation?: string; kind: FaultKind; count?: number }): void;
  /** The faults still queued (also `GET /_control/faults`). */
  faults(): { vendor?: VendorName; operation?: string; kind: FaultKind; count: number }[];
  /** Drops every queued fault (also `DELETE /_control/faults`); returns how many there were. */
  clearFaults(): number;
  /**
   * Runs a sandbox-only action of a vendor's state module (also `POST /_control/<vendor>/<action>`); the callbacks it
   * triggers are POSTed to `callbackUrl` (`delivered`: the first attempt of each was answered HTTP 200; re-deliveries
   * go on in the background).
   */
  act(vendor: VendorName, action: string, input?: Record<string, unknown>): Promise<Record<string, unknown> & { delivered: boolean }>;
  /** Simulates a customer adding a WeCom member: `act('wecom', 'customers', input)`. */
  addWecomCustomer(input?: { userid?: string; name?: string; state?: string }): Promise<{ externalUserId: string; delivered: boolean }>;
  /**
   * Sends callback `event` of `vendor` (a key of its spec's `webhooks`) built from the webhook's example with
   * `payload` merged in (also `POST /_control/callbacks`); resolves with the record once delivered or given up.
   */
  sendCallback(vendor: VendorName, event: string, payload?: Record<string, unknown>, url?: string): Promise<CallbackRecord>;
  /** Every callback sent and its attempts (also `GET /_control/callbacks`). */
  callbackDeliveries(): CallbackRecord[];
  /** Resolves when no callback is waiting to be delivered again. */
  callbacksSettled(): Promise<void>;
  close(): Promise<void>;
  readonly app: FastifyInstance;
}

type Json = Record<string, any>;

const JSON_TYPE = 'application/json; charset=utf-8';
const NOT_LIMITED = { ok: true } as const;

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const vendors = (options.vendors ?? VENDORS).map((v) => {
    if (!VENDORS.includes(v)) throw new Error(`unknown vendor ${v}; choose from ${VENDORS.join(', ')}`);
    return compileVendor(v, undefined, undefined, { validation: options.validation });
  });
  for (const files of options.extraSpecs ?? []) {
    const { spec, model } = loadFiles(files);
    const name = String(spec['x-scrm-vendor']);
    if (vendors.some((v) => v.name === name)) throw new Error(`vendor ${name} is served twice`);
    vendors.push(compileVendor(name, spec, model, { validation: options.validation }));
  }
  const rate = options.faults?.rate ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw new Error('faults.rate must be between 0 and 1');
  const randomKinds = (options.faults?.kinds ??
    FAULT_KINDS.filter((k) => k !== 'timeout' && k !== 'reset' && k !== 'reset-after')) as readonly FaultKind[];
  const random = createRandom(options.seed ?? 1);
  const ttl = (options.tokenTtlSeconds ?? 7200) * 1000;
  const limiter = new RateLimiter(vendors, options.rateLimits);
  const requests: Record<string, number> = {};
  const applied: Record<string, number> = {};
  const queued = new FaultQueue<FaultKind>(
    FAULT_KINDS,
    vendors.map((v) => v.name),
  );
  // every token issued, of every kind: the tenant it is valid for (undefined: the vendor's default account)
  const tokens = new Map<string, { vendor: VendorName; kind: string; tenant?: string; expiresAt: number }>();
  const credentials: Record<VendorName, Record<string, string>> = {};
  for (const v of vendors) {
    const missing = Object.values(v.auth.credentials).filter((option) => typeof v.sandbox.credentials?.[option] !== 'string');
    if (missing.length) throw new Error(`the ${v.name} spec has no x-scrm-sandbox.credentials for ${missing.join(', ')}`);
    credentials[v.name] = { ...v.sandbox.credentials };
  }
  const callbacks: MockServer['callbacks'] = {};
  for (const v of vendors) {
    const callback = v.sandbox.callback;
    if (!callback) continue;
    const receiveId = credentials[v.name]?.[callback.receiveId];
    if (typeof receiveId !== 'string')
      throw new Error(`the ${v.name} spec's x-scrm-sandbox.callback.receiveId names no sandbox credential`);
    callbacks[v.name] = { token: callback.token, encodingAESKey: callback.encodingAESKey, receiveId };
  }
  const providers: MockServer['providers'] = {};
  for (const v of vendors) {
    if (!v.sandbox.tokens && !v.sandbox.provider) continue;
    const fixed = Object.assign({}, ...Object.values(v.sandbox.tokens ?? {}).map((t) => t.credentials ?? {})) as Record<string, string>;
    const callback = v.sandbox.provider?.callback;
    if (callback && typeof fixed[callback.receiveId] !== 'string')
      throw new Error(`the ${v.name} spec's x-scrm-sandbox.provider.callback.receiveId names no credential of x-scrm-sandbox.tokens`);
    providers[v.name] = {
      credentials: fixed,
      ...(callback
        ? { callback: { token: callback.token, encodingAESKey: callback.encodingAESKey, receiveId: fixed[callback.receiveId]! } }
        : {}),
    };
  }
  const signing: Record<VendorName, SigningConfig> = {};
  for (const [name, c] of Object.entries(callbacks))
    signing[name] = { ...c, envelope: vendors.find((v) => v.name === name)!.sandbox.callback?.envelope };
  // the instruction callback of a vendor's app for service providers: channel `suite`, sent to callbackUrls.suite
  const channels: Record<VendorName, Record<string, { signing: SigningConfig; url?: string }>> = {};
  for (const [name, p] of Object.entries(providers))
    if (p.callback)
      channels[name] = {
        [PROVIDER_CHANNEL]: {
          signing: { ...p.callback },
          ...(options.callbackUrls?.[PROVIDER_CHANNEL] !== undefined ? { url: options.callbackUrls[PROVIDER_CHANNEL] } : {}),
        },
      };
  const sender = new CallbackSender(vendors, signing, { url: options.callbackUrl, timeScale: options.callbackTimeScale, channels });
  const states: Record<VendorName, VendorState> = {};
  for (const v of vendors) {
    const module = await loadStateModule(v.name);
    const suiteUrl = options.callbackUrls?.[PROVIDER_CHANNEL];
    const provider = v.sandbox.provider && {
      ...v.sandbox.provider,
      callback: providers[v.name]!.callback!,
      ...(suiteUrl !== undefined ? { callbackUrl: suiteUrl } : {}),
    };
    if (module)
      states[v.name] = module.create(random, {
        callback: callbacks[v.name],
        ...(provider ? { provider } : {}),
        ...(v.profile.tokens ? { tokens: v.profile.tokens } : {}),
        credentials: { ...credentials[v.name] },
        callbacks: {
          build: (event, override) => sender.build(v.name, event, override),
          deliver: (event, payload, url, via) => sender.deliver(v.name, event, payload, url, via),
        },
      });
  }

  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  // bodies are validated against the spec, so accept anything here and parse JSON ourselves
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const operationOf = (req: FastifyRequest) => (req.routeOptions.config as { operation?: string } | undefined)?.operation;
  if (options.onAnswer) {
    const onAnswer = options.onAnswer;
    app.addHook('onSend', async (req, reply, payload) => {
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
      onAnswer({ operation: operationOf(req), status: reply.statusCode, headers: { ...reply.getHeaders() }, body });
      return payload;
    });
  }
  if (options.log) {
    const log = options.log;
    app.addHook('onResponse', async (req, reply) => {
      log(`${req.method} ${req.routeOptions.url ?? '(no operation)'} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`);
    });
  }

  const send = (reply: FastifyReply, status: number, body: unknown) =>
    reply.code(status).header('content-type', JSON_TYPE).send(JSON.stringify(body));

  const answerError = (reply: FastifyReply, op: OperationRuntime, answer: SandboxAnswer | undefined, message: string) => {
    const env = op.envelope.none ? vendorOf(op).envelope : op.envelope;
    if (typeof answer === 'object' && answer.text !== undefined)
      return reply.code(answer.status).header('content-type', 'text/plain; charset=utf-8').send(answer.text);
    if (answer === undefined || typeof answer === 'object') {
      const status = typeof answer === 'object' ? answer.status : 400;
      return send(reply, status, { [env.code || 'code']: status, [env.message || 'message']: message });
    }
    return send(reply, 200, { [env.code]: answer, [env.message]: message });
  };
  const vendorOf = (op: OperationRuntime) => vendors.find((v) => v.name === op.vendor)!;

  const takeFault = (req: FastifyRequest, op: OperationRuntime): FaultKind | undefined => {
    const header = req.headers['x-scrm-mock-fault'];
    const asked = (Array.isArray(header) ? header[0] : header)?.trim();
    if (asked) {
      if (!(FAULT_KINDS as readonly string[]).includes(asked)) return undefined;
      return asked as FaultKind;
    }
    const kind = queued.take(op.vendor, op.id);
    if (kind) return kind;
    if (rate > 0 && random.next() < rate) return randomKinds[Math.floor(random.next() * randomKinds.length)];
    return undefined;
  };

  const applyFault = async (reply: FastifyReply, op: OperationRuntime, kind: FaultKind) => {
    const sandbox = vendorOf(op).sandbox;
    switch (kind) {
      case 'busy':
        return answerError(reply, op, sandbox.busy, 'sandbox fault: system busy');
      case 'rate-limit':
        if (typeof sandbox.rateLimit === 'object') reply.header('retry-after', '1');
        return answerError(reply, op, sandbox.rateLimit, 'sandbox fault: rate limit');
      case 'token-expired':
        return answerError(
          reply,
          op,
          (op.token && sandbox.tokens?.[op.token]?.expiredToken) || sandbox.expiredToken,
          'sandbox fault: token expired',
        );
      case 'http-500':
        return reply.code(500).header('content-type', 'text/plain').send('sandbox fault: internal server error');
      case 'http-429':
        return reply.code(429).header('retry-after', '1').header('content-type', 'text/plain').send('sandbox fault: too many requests');
      case 'reset':
        reply.raw.socket?.destroy();
        return reply.hijack();
      case 'timeout':
        await new Promise((r) => setTimeout(r, options.timeoutFaultMs ?? 30_000));
        return reply.code(504).header('content-type', 'text/plain').send('sandbox fault: timeout');
      case 'malformed':
        return reply.code(200).header('content-type', 'application/json').send('{"sandbox": "malformed", ');
      case 'html':
        return reply.code(200).header('content-type', 'text/html').send('<html><body><h1>502 Bad Gateway</h1>sandbox fault</body></html>');
    }
  };

  const credentialOf = (vendor: VendorRuntime, use: string): string | undefined => {
    const creds = credentials[vendor.name] ?? {};
    const option = vendor.auth.credentials?.[use] ?? use;
    return creds[option];
  };

  /** The vendor's own token kind (`x-scrm-auth.kind`, WeCom `corp`): what calls without `x-scrm-token` carry. */
  const mainKind = (vendor: VendorRuntime) => (vendor.auth.type === 'token-endpoint' && vendor.auth.kind) || 'token';
  const newToken = (vendor: VendorRuntime, kind: string, tenant?: string) => {
    const value = `sandbox-${vendor.name}-${kind === mainKind(vendor) ? '' : `${kind}-`}token-${randomBytes(12).toString('hex')}`;
    tokens.set(value, { vendor: vendor.name, kind, ...(tenant !== undefined ? { tenant } : {}), expiresAt: Date.now() + ttl });
    return { token: value, expiresIn: Math.round(ttl / 1000) };
  };

  /**
   * A token operation: the vendor's own token endpoint (x-scrm-auth) and every further kind the spec says it issues
   * (x-scrm-tokens: WeCom's gettoken also gives a 代开发 app's corp token). Each way is checked credential by credential
   * in the order it lists them: fixed values against the sandbox's, the others by the state module (a suite ticket, a
   * corp's permanent code). The first way that accepts them all issues; otherwise the way that got furthest answers.
   */
  const issueToken = (reply: FastifyReply, op: OperationRuntime, vendor: VendorRuntime, query: Json, body: Json) => {
    const ways: {
      kind: string;
      provides: string;
      credentials: Readonly<Record<string, string>>;
      credentialsIn: 'query' | 'body';
      token: { field: string; expiresIn?: string };
      fixed: Record<string, string>;
      missing?: Record<string, SandboxAnswer>;
      bad?: Record<string, SandboxAnswer>;
    }[] = [];
    const auth = vendor.auth;
    if (op.isTokenEndpoint && auth.type === 'token-endpoint')
      ways.push({
        kind: mainKind(vendor),
        provides: mainKind(vendor),
        credentials: auth.credentials,
        credentialsIn: auth.credentialsIn,
        token: auth.token,
        fixed: credentials[vendor.name] ?? {},
        missing: vendor.sandbox.missingCredential,
        bad: vendor.sandbox.badCredential,
      });
    for (const kind of op.issues) {
      const declared = vendor.profile.tokens![kind]!;
      const facts = vendor.sandbox.tokens?.[kind];
      ways.push({
        kind,
        provides: declared.provides ?? kind,
        credentials: declared.credentials,
        credentialsIn: declared.credentialsIn,
        token: declared.token,
        fixed: facts?.credentials ?? {},
        missing: facts?.missingCredential,
        bad: facts?.badCredential,
      });
    }
    let refusal: { passed: number; answer: SandboxAnswer | undefined; message: string } | undefined;
    for (const way of ways) {
      const carrier = way.credentialsIn === 'body' ? body : query;
      const given: Record<string, string> = {};
      const params = Object.entries(way.credentials);
      let failed: { passed: number; answer: SandboxAnswer | undefined; message: string } | undefined;
      for (const [i, [param, option]] of params.entries()) {
        const sent = Array.isArray(carrier[param]) ? carrier[param][0] : carrier[param];
        if (sent === undefined || sent === '') {
          failed = { passed: i, answer: way.missing?.[option] ?? vendor.sandbox.parameterError, message: `${param} missing` };
          break;
        }
        if (typeof sent !== 'string') {
          // credentials are text: another type is a parameter error naming the field, as validation answers it
          const where = way.credentialsIn === 'body' ? 'body' : 'query';
          failed = {
            passed: i,
            answer: vendor.sandbox.parameterError,
            message: `invalid request parameter ${where}.${param}: must be string`,
          };
          break;
        }
        if (option in way.fixed && sent !== way.fixed[option]) {
          failed = { passed: i, answer: way.bad?.[option] ?? vendor.sandbox.parameterError, message: `invalid ${param}` };
          break;
        }
        given[option] = String(sent);
      }
      let tenant: string | undefined;
      if (!failed && params.some(([, option]) => !(option in way.fixed))) {
        const state = states[vendor.name];
        const checked = state?.tokenRequest
          ? state.tokenRequest(way.kind, given)
          : { refused: params.find(([, option]) => !(option in way.fixed))![1] };
        if ('refused' in checked) {
          const i = params.findIndex(([, option]) => option === checked.refused);
          failed = {
            passed: Math.max(0, i),
            answer: way.bad?.[checked.refused] ?? vendor.sandbox.parameterError,
            message: `invalid ${params[i]?.[0] ?? checked.refused}`,
          };
        } else tenant = checked.tenant;
      }
      if (failed) {
        if (!refusal || failed.passed > refusal.passed) refusal = failed;
        continue;
      }
      const { token: value, expiresIn } = newToken(vendor, way.provides, tenant);
      const example = op.example();
      const answer: Json = example && typeof example === 'object' ? (example as Json) : {};
      setPath(answer, way.token.field, value);
      if (way.token.expiresIn) setPath(answer, way.token.expiresIn, expiresIn);
      if (!op.envelope.none) answer[op.envelope.code] = op.envelope.success[0];
      return send(reply, 200, answer);
    }
    return answerError(reply, op, refusal?.answer ?? vendor.sandbox.parameterError, refusal?.message ?? 'invalid credentials');
  };

  /** A token a call carries: the tenant it was issued for, or the vendor's answer when it is not one to honour. */
  const checkToken = (
    vendor: VendorRuntime,
    kind: string,
    given: unknown,
    name: string,
  ): { tenant?: string } | { answer: SandboxAnswer | undefined; message: string } => {
    const facts = kind === mainKind(vendor) ? undefined : vendor.sandbox.tokens?.[kind];
    if (typeof given !== 'string' || given === '')
      return { answer: facts?.missingToken ?? vendor.sandbox.missingToken, message: `${name} missing` };
    const issued = tokens.get(given);
    const invalid = { answer: facts?.invalidToken ?? vendor.sandbox.invalidToken, message: `invalid ${name}` };
    if (!issued || issued.vendor !== vendor.name || issued.kind !== kind) return invalid;
    if (issued.expiresAt <= Date.now()) return { answer: facts?.expiredToken ?? vendor.sandbox.expiredToken, message: `${name} expired` };
    if (issued.tenant !== undefined && states[vendor.name]?.tenantActive?.(issued.tenant) === false) return invalid;
    return { tenant: issued.tenant };
  };

  const handle = (vendor: VendorRuntime, op: OperationRuntime) => {
    // everything that is the same for every request of the operation is worked out once, here
    const key = `${vendor.name}.${op.id}`;
    const state = states[vendor.name];
    const handler: Handler | undefined = state?.handlers[op.id];
    // an operation answered with its example alone sends the text stringified once, never a fresh copy of the example
    const staticAnswer = !handler && !op.pagination ? (op.exampleText ?? JSON.stringify(okBody(op, vendor, {}))) : undefined;
    return (req: FastifyRequest, reply: FastifyReply) => respond(vendor, op, key, handler, staticAnswer, req, reply);
  };

  const respond = async (
    vendor: VendorRuntime,
    op: OperationRuntime,
    key: string,
    handler: Handler | undefined,
    staticAnswer: string | undefined,
    req: FastifyRequest,
    reply: FastifyReply,
  ) => {
    requests[key] = (requests[key] ?? 0) + 1;
    const fault = takeFault(req, op);
    if (fault && fault !== 'reset-after' && !(fault === 'token-expired' && !op.credential && !op.token))
      return applyFault(reply, op, fault);
    const limited = limiter.enforce ? limiter.take(op) : NOT_LIMITED;
    if (!limited.ok) {
      const answer = vendor.sandbox.rateLimit ?? { status: 429 };
      if (typeof answer === 'object') reply.header('retry-after', String(Math.max(1, Math.ceil(limited.retryAfterMs / 1000))));
      return answerError(reply, op, answer, 'sandbox: rate limit exceeded');
    }

    const query = op.readQuery ? op.readQuery(req.query as Json) : { ...(req.query as Json) };
    const params = op.readPath ? op.readPath(req.params as Json) : { ...(req.params as Json) };
    let body: Json | undefined;
    const raw = req.body as Buffer | undefined;
    if (op.bodyType === 'application/json' && raw && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return answerError(reply, op, vendor.sandbox.parameterError, 'body: not valid JSON');
      }
    }
    // an upload: the parts as the vendor reads them (file names as UTF-8, bytes as sent)
    let form: FormData | undefined;
    if (op.bodyType === 'multipart/form-data' && raw && raw.length > 0) {
      try {
        form = await new Response(new Uint8Array(raw), {
          headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        }).formData();
      } catch {
        return answerError(reply, op, vendor.sandbox.parameterError, 'body: not valid multipart/form-data');
      }
    }

    // a token operation that carries no token of its own issues at once; one that does (get_corp_token) after the check
    if ((op.isTokenEndpoint || op.issues.length > 0) && !op.token) return issueToken(reply, op, vendor, query, body ?? {});
    let tenant: string | undefined;

    // authentication, as the vendor does it
    if (op.credential) {
      const carrier = op.credential.in === 'body' ? (body ?? {}) : query;
      // given twice (`?access_token=a&access_token=b`): the first one counts
      const sent = carrier[op.credential.name];
      const given = Array.isArray(sent) ? sent[0] : sent;
      delete carrier[op.credential.name];
      if (vendor.auth.type === 'token-endpoint') {
        const checked = checkToken(vendor, mainKind(vendor), given, op.credential.name);
        if ('answer' in checked) return answerError(reply, op, checked.answer, checked.message);
        tenant = checked.tenant;
      } else {
        const accepted = [
          credentialOf(vendor, op.credential.use),
          op.credential.fallback ? credentialOf(vendor, op.credential.fallback) : undefined,
        ];
        if (typeof given !== 'string' || given === '')
          return answerError(reply, op, vendor.sandbox.missingToken, `${op.credential.name} missing`);
        if (!accepted.includes(given)) return answerError(reply, op, vendor.sandbox.invalidToken, `invalid ${op.credential.name}`);
      }
    }

    // a further token kind (x-scrm-token): a declared query parameter, left in place for validation
    const carried = op.token ? vendor.profile.tokens?.[op.token]?.inject?.name : undefined;
    if (op.token && carried) {
      const sent = query[carried];
      const checked = checkToken(vendor, op.token, Array.isArray(sent) ? sent[0] : sent, carried);
      if ('answer' in checked) return answerError(reply, op, checked.answer, checked.message);
      tenant = checked.tenant;
    }
    if (op.issues.length > 0) return issueToken(reply, op, vendor, query, body ?? {});

    // validation against the spec (a missing body is validated as {}: its required fields get reported)
    const invalid =
      op.validateQuery && !op.validateQuery(query)
        ? describeErrors('query', op.validateQuery)
        : op.validatePath && !op.validatePath(params)
          ? describeErrors('path', op.validatePath)
          : op.validateBody && !op.validateBody(body ?? {})
            ? describeErrors('body', op.validateBody)
            : undefined;
    if (invalid !== undefined) return answerError(reply, op, vendor.sandbox.parameterError, `invalid request parameter ${invalid}`);
    // "at least one of these": OpenAPI declares each optional, the compiled profile names the group
    if (op.atLeastOneOf && !op.atLeastOneOf.some((name) => query[name] !== undefined && query[name] !== ''))
      return answerError(
        reply,
        op,
        vendor.sandbox.parameterError,
        `invalid request parameter query: give at least one of ${op.atLeastOneOf.join(', ')}`,
      );

    if (staticAnswer !== undefined) {
      if (!op.idempotent) applied[key] = (applied[key] ?? 0) + 1;
      if (fault === 'reset-after') {
        reply.raw.socket?.destroy();
        return reply.hijack();
      }
      return reply.code(200).header('content-type', JSON_TYPE).send(staticAnswer);
    }
    const emitted: { event: string; payload: Json }[] = [];
    const ctx: HandlerContext = {
      op,
      query,
      params,
      body: body ?? {},
      form,
      ok: (fields) => okBody(op, vendor, fields),
      file: (file) => ({ __file: file }),
      page: (items, defaultSize) => pageFor(op, query, body ?? {}, items, defaultSize),
      fail: (code, message) => ({ __error: { code, message } }),
      notFound: (message) => ({ __error: { code: vendor.sandbox.notFound ?? vendor.sandbox.parameterError, message } }),
      callback: (event, payload) => {
        sender.check(vendor.name, event, payload);
        emitted.push({ event, payload });
      },
      random,
      now: Date.now(),
      ...(tenant !== undefined ? { tenant } : {}),
      issueToken: (kind, forTenant) => newToken(vendor, kind, forTenant),
    };
    let answer: unknown;
    if (handler) {
      answer = await handler(ctx);
      const error = (answer as { __error?: { code: SandboxAnswer; message: string } } | undefined)?.__error;
      if (error) return answerError(reply, op, error.code, error.message);
    }
    if (answer === undefined) answer = op.pagination ? pageOfExample(op, query, body ?? {}) : undefined;
    if (answer === undefined) answer = op.example() ?? okBody(op, vendor, {});
    if (!op.idempotent || (answer as { __applied?: boolean } | undefined)?.__applied) applied[key] = (applied[key] ?? 0) + 1;
    if (answer && typeof answer === 'object') delete (answer as { __applied?: boolean }).__applied;
    // the callbacks the change causes, after the answer (as the vendor sends them: later, on its own)
    if (emitted.length)
      setImmediate(() => {
        for (const c of emitted) sender.deliver(vendor.name, c.event, c.payload);
      });
    if (fault === 'reset-after') {
      // processed, but the answer never arrives
      reply.raw.socket?.destroy();
      return reply.hijack();
    }
    const file = (answer as { __file?: { bytes: Uint8Array; contentType: string; fileName: string } } | undefined)?.__file;
    if (file) {
      // the name as raw UTF-8 bytes in the quoted filename, as WeCom sends it (a header carries bytes, one per Latin-1 char)
      const name = Buffer.from(file.fileName.replace(/["\\\r\n]/g, '_'), 'utf8').toString('latin1');
      return reply
        .code(200)
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(Buffer.from(file.bytes));
    }
    return send(reply, 200, answer);
  };

  for (const vendor of vendors) {
    for (const op of vendor.operations) {
      app.route({
        method: op.method as 'GET',
        url: `/${vendor.name}${op.route}`,
        handler: handle(vendor, op),
        config: { operation: `${vendor.name}.${op.id}` },
      });
    }
  }

  // a path that is no operation, or an operation's path with another method: answered as the vendor answers it,
  // never with the framework's 404 (whose message repeats the URL, query and credentials included)
  const routesOf = new Map<VendorName, { method: string; pattern: RegExp }[]>(
    vendors.map((v) => [
      v.name,
      v.operations.map((op) => ({
        method: op.method,
        pattern: new RegExp(
          `^${op.path.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '{' || c === '}' ? c : `\\${c}`)).replace(/\{[^}]+\}/g, '[^/]+')}$`,
        ),
      })),
    ]),
  );
  const vendorAnswer = (reply: FastifyReply, vendor: VendorRuntime, answer: SandboxAnswer, message: string) => {
    const env = vendor.envelope;
    if (typeof answer === 'object')
      return send(reply, answer.status, { [env.code || 'code']: answer.status, [env.message || 'message']: message });
    return send(reply, 200, { [env.code]: answer, [env.message]: message });
  };
  app.setNotFoundHandler((req, reply) => {
    const path = (req.raw.url ?? '/').split('?')[0]!;
    const name = path.split('/')[1] ?? '';
    const vendor = vendors.find((v) => v.name === name);
    if (!vendor)
      return send(reply, 404, {
        error: 'not found',
        message: `no vendor or sandbox endpoint at this path; vendors: ${vendors.map((v) => v.name).join(', ')}`,
      });
    const rest = path.slice(name.length + 1) || '/';
    const unknown = vendor.sandbox.unknownOperation ?? { status: 404 };
    if (routesOf.get(vendor.name)!.some((r) => r.pattern.test(rest)))
      return vendorAnswer(reply, vendor, vendor.sandbox.wrongMethod ?? unknown, `method ${req.method} not supported by this operation`);
    return vendorAnswer(reply, vendor, unknown, 'no such operation');
  });
  // errors the framework raises before a handler runs (a body too large, a malformed URL …): no request data echoed
  app.setErrorHandler((error, req, reply) => {
    const name = (req.raw.url ?? '/').split('?')[0]!.split('/')[1] ?? '';
    const vendor = vendors.find((v) => v.name === name);
    const status = typeof (error as { statusCode?: number }).statusCode === 'number' ? (error as { statusCode: number }).statusCode : 500;
    const message = status === 413 ? 'request body too large' : status < 500 ? 'bad request' : 'sandbox internal error';
    if (vendor && status < 500) return vendorAnswer(reply, vendor, vendor.sandbox.parameterError ?? { status }, message);
    return send(reply, status, { error: message });
  });

  // the front page: vendors, where they are served, working credentials, links (zh first; ?lang=en; JSON on request)
  let baseUrl = '';
  app.get('/', (req, reply) => {
    const facts = vendors.map((v) => ({
      name: v.name,
      displayName: String(v.spec.info?.['x-scrm-display-name'] ?? v.spec.info?.title ?? v.name),
      operations: v.operations.length,
      credentials: { ...credentials[v.name] },
    }));
    const accept = String(req.headers.accept ?? '');
    if (accept.includes('application/json') && !accept.includes('text/html'))
      return send(reply, 200, { vendors: facts.map((f) => ({ ...f, baseUrl: `${baseUrl}/${f.name}` })), links: options.links ?? {} });
    const lang = (req.query as Json).lang === 'en' ? 'en' : 'zh';
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .send(indexPage({ url: baseUrl, vendors: facts, links: options.links, lang }));
  });

  // control endpoints, for tests, demos and the CLI (./control.ts)
  registerControl(
    app,
    {
      faults: queued,
      stats: () => ({ requests, applied, rateLimited: limiter.refused, callbacks: sender.attempts() }),
      hasAction: (vendor, action) => Boolean(states[vendor]?.actions?.[action]),
      act: (vendor, action, input) => act(vendor, action, input),
    },
    [
      ...callbackRoutes(sender),
      // read-only views of vendor state (GET /_control/wecom/messages …)
      ...Object.entries(states).flatMap(([vendor, state]) =>
        Object.entries(state.views ?? {}).map(([view, read]) => ({
          method: 'GET' as const,
          url: `/_control/${vendor}/${view}`,
          handler: () => ({ body: read() }),
        })),
      ),
    ],
  );

  const act = async (vendor: VendorName, action: string, input: Json = {}) => {
    const run = states[vendor]?.actions?.[action];
    if (!run)
      throw new Error(`no sandbox action ${vendor}/${action}${states[vendor] ? '' : ` (${vendor} is not served or has no state module)`}`);
    const schema = states[vendor]?.inputs?.[action];
    if (schema) checkedBy(schema, input, `input of ${vendor}/${action}`);
    const { result, callbacks: caused = [] } = run(input);
    const firsts = await Promise.all(caused.map((c) => sender.deliver(vendor, c.event, c.payload, undefined, c).first));
    return { ...result, delivered: firsts.length > 0 && firsts.every(Boolean) };
  };

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });

  // the actions the vendor runs by itself (WeCom pushes a suite ticket every 10 minutes): once now, then on the interval
  const timers: ReturnType<typeof setInterval>[] = [];
  for (const [vendor, state] of Object.entries(states)) {
    for (const [action, everyMs] of Object.entries(state.schedules ?? {})) {
      const interval = options.schedules?.[`${vendor}/${action}`] ?? everyMs;
      if (interval === false) continue;
      if (!(typeof interval === 'number' && interval > 0))
        throw new Error(`schedules['${vendor}/${action}'] must be a positive number of ms or false`);
      const run = () => void act(vendor, action).catch(() => undefined);
      run();
      const timer = setInterval(run, interval);
      timer.unref?.();
      timers.push(timer);
    }
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  baseUrl = url;

  return {
    url,
    credentials: structuredClone(credentials),
    callbacks: structuredClone(callbacks),
    providers: structuredClone(providers),
    rateLimits: structuredClone(limiter.rules),
    stats: () => ({
      requests: { ...requests },
      applied: { ...applied },
      rateLimited: { ...limiter.refused },
      callbacks: sender.attempts(),
    }),
    injectFault: (f) => {
      queued.push(f);
    },
    faults: () => queued.list(),
    clearFaults: () => queued.clear(),
    act,
    addWecomCustomer: (input) => act('wecom', 'customers', input) as Promise<{ externalUserId: string; delivered: boolean }>,
    sendCallback: (vendor, event, payload, url) => sender.deliver(vendor, event, sender.build(vendor, event, payload), url).done,
    callbackDeliveries: () => sender.list(),
    callbacksSettled: () => sender.settled(),
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      sender.close();
      await app.close();
    },
    app,
  };
}

/** A success body in the operation's envelope, with `fields` merged in. */
function okBody(op: OperationRuntime, vendor: VendorRuntime, fields: Json): Json {
  const env = op.envelope;
  if (env.none) return fields;
  return { [env.code]: env.success[0], [env.message]: vendor.sandbox.successMessage ?? 'ok', ...fields };
}
