/**
 * The control API of the sandbox (`/_control/*`): counters, queued faults (listed, added, cleared) and the
 * sandbox-only actions of the state modules. Every input is checked against a JSON schema (ajv) and refused with
 * HTTP 400 and a message naming the field; nothing a caller sends can make it answer 500 or queue a fault that
 * never expires.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VendorName } from './spec.js';

type Json = Record<string, any>;

/** A queued fault: the next `count` requests of `vendor` (and `operation`, when given) fail with `kind`. */
export interface QueuedFault<Kind extends string = string> {
  vendor?: VendorName;
  operation?: string;
  kind: Kind;
  count: number;
}

const ajv = new Ajv2020({ strict: true, allErrors: false, coerceTypes: false });

/** The schema of a fault to queue: over HTTP and through `injectFault()`. */
export function faultSchema(kinds: readonly string[], vendors: readonly string[]) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: { enum: [...kinds] },
      vendor: { enum: [...vendors] },
      operation: { type: 'string', minLength: 1 },
      count: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    },
  };
}

/** "count: must be >= 1" — names the field, never echoes the value. */
export function describe(validate: ValidateFunction): string {
  const e = validate.errors?.[0];
  if (!e) return 'invalid input';
  const field = (
    e.keyword === 'required'
      ? (e.params as { missingProperty: string }).missingProperty
      : e.keyword === 'additionalProperties'
        ? (e.params as { additionalProperty: string }).additionalProperty
        : e.instancePath.replace(/^\//, '').replace(/\//g, '.')
  ).trim();
  const message =
    e.keyword === 'enum'
      ? `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
      : e.keyword === 'additionalProperties'
        ? 'is not a known field'
        : e.keyword === 'required'
          ? 'is required'
          : (e.message ?? 'is invalid');
  return field ? `${field}: ${message}` : message;
}

/** The faults queued through `/_control/faults` and `injectFault()`, taken by the requests they match. */
export class FaultQueue<Kind extends string> {
  readonly #queued: QueuedFault<Kind>[] = [];
  readonly #validate: ValidateFunction;

  constructor(kinds: readonly Kind[], vendors: readonly VendorName[]) {
    this.#validate = ajv.compile(faultSchema(kinds, vendors));
  }

  /** Checks a fault (an Error naming the field when it is not one); returns it with its count. */
  check(input: unknown): QueuedFault<Kind> {
    if (!this.#validate(input)) throw new Error(`invalid fault: ${describe(this.#validate)}`);
    const f = input as Partial<QueuedFault<Kind>> & { kind: Kind };
    return {
      ...(f.vendor !== undefined ? { vendor: f.vendor } : {}),
      ...(f.operation !== undefined ? { operation: f.operation } : {}),
      kind: f.kind,
      count: f.count ?? 1,
    };
  }

  push(input: unknown): number {
    this.#queued.push(this.check(input));
    return this.#queued.length;
  }

  list(): QueuedFault<Kind>[] {
    return this.#queued.map((f) => ({ ...f }));
  }

  clear(): number {
    return this.#queued.splice(0).length;
  }

  /** The kind of the first fault matching this request (one of its count used), if any. */
  take(vendor: VendorName, operation: string): Kind | undefined {
    const i = this.#queued.findIndex((q) => (!q.vendor || q.vendor === vendor) && (!q.operation || q.operation === operation));
    if (i < 0) return undefined;
    const q = this.#queued[i]!;
    if (--q.count <= 0) this.#queued.splice(i, 1);
    return q.kind;
  }
}

/** A control route's answer: a status and a JSON body. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON object of a control request's body (`{}` when empty); a ControlError(400) for anything else. */
export function bodyOf(req: FastifyRequest): Json {
  const raw = req.body as Buffer | string | undefined;
  const text = raw === undefined ? '' : typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ControlError(400, 'the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ControlError(400, 'the body must be a JSON object');
  return value as Json;
}

/** Validates `input` against a schema compiled once; a ControlError(400) naming the field when it does not match. */
export function checked<T>(validate: ValidateFunction, input: unknown, what: string): T {
  if (!validate(input)) throw new ControlError(400, `invalid ${what}: ${describe(validate)}`);
  return input as T;
}

const compiled = new WeakMap<object, ValidateFunction>();
/** `checked()` against a schema object, compiled on first use. */
export function checkedBy<T>(schema: object, input: unknown, what: string): T {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return checked<T>(validate, input, what);
}

export interface ControlContext<Kind extends string> {
  faults: FaultQueue<Kind>;
  stats(): Record<string, Record<string, number>>;
  /** Whether `vendor` has a sandbox-only action `action`. */
  hasAction(vendor: string, action: string): boolean;
  act(vendor: VendorName, action: string, input: Json): Promise<Json>;
}

/** An extra control route (rate limits, callbacks …): its handler throws ControlError for a refused input. */
export interface ControlRoute {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  handler(req: FastifyRequest): Promise<{ status?: number; body: unknown }> | { status?: number; body: unknown };
}

const send = (reply: FastifyReply, status: number, body: unknown) =>
  reply.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));

/** Registers `/_control/*` on the sandbox: stats, faults, sandbox-only actions, and any `extra` routes. */
export function registerControl<Kind extends string>(app: FastifyInstance, ctx: ControlContext<Kind>, extra: readonly ControlRoute[] = []) {
  const answer = (run: (req: FastifyRequest) => Promise<{ status?: number; body: unknown }> | { status?: number; body: unknown }) => {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        const { status = 200, body } = await run(req);
        return send(reply, status, body);
      } catch (error) {
        if (error instanceof ControlError) return send(reply, error.status, { error: error.message });
        throw error;
      }
    };
  };
  app.get(
    '/_control/stats',
    answer(() => ({ body: ctx.stats() })),
  );
  app.get(
    '/_control/faults',
    answer(() => ({ body: { faults: ctx.faults.list() } })),
  );
  app.post(
    '/_control/faults',
    answer((req) => {
      const input = bodyOf(req);
      try {
        return { body: { queued: ctx.faults.push(input) } };
      } catch (error) {
        throw new ControlError(400, (error as Error).message);
      }
    }),
  );
  app.delete(
    '/_control/faults',
    answer(() => ({ body: { cleared: ctx.faults.clear() } })),
  );
  for (const route of extra) app.route({ method: route.method, url: route.url, handler: answer(route.handler) });
  app.post(
    '/_control/:vendor/:action',
    answer(async (req) => {
      const { vendor, action } = req.params as { vendor: string; action: string };
      const input = bodyOf(req);
      if (!ctx.hasAction(vendor, action)) throw new ControlError(404, `no sandbox action ${vendor}/${action}`);
      return { body: await ctx.act(vendor, action, input) };
    }),
  );
  // anything else under /_control: a JSON 404 that lists what exists
  app.all(
    '/_control/*',
    answer(() => {
      throw new ControlError(
        404,
        'no such control endpoint: GET /_control/stats, GET|POST|DELETE /_control/faults, POST /_control/<vendor>/<action>' +
          extra.map((r) => `, ${r.method} ${r.url}`).join(''),
      );
    }),
  );
}
