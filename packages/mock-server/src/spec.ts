/**
 * Loads a vendor and compiles what the sandbox needs for every operation. The vendor's runtime facts (envelope,
 * credentials and where they go, token endpoint, pagination, idempotency) and its sandbox facts (how it answers a
 * bad parameter, a missing / invalid / expired token, a busy or rate-limited moment; the credentials it accepts) come
 * from the compiled model codegen writes (`@scrm-openapi/<vendor>-spec/profile.json`); the routes, request
 * validators (ajv) and success examples come from the bundled OpenAPI spec itself. Nothing here is written per
 * vendor or per operation: an operation added to a spec is served without code changes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AuthSpec, EnvelopeSpec, OperationMeta, PaginationSpec, VendorProfile } from '@scrm-openapi/core';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { moduleUrl } from './module-location.js';
import { parameterReader, type ValidationMode } from './validation.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => void;
const requireHere = createRequire(moduleUrl);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A vendor's short name (its spec's `x-scrm-vendor`), e.g. `wecom`. */
export type VendorName = string;

type Json = Record<string, any>;

/** A vendor answer: a body code, or an HTTP status. */
export type SandboxAnswer = number | { status: number; text?: string };

/** x-scrm-sandbox, as compiled into `profile.json`: how the vendor answers each situation the sandbox reproduces. */
export interface SandboxConfig {
  parameterError?: SandboxAnswer;
  missingToken?: SandboxAnswer;
  invalidToken?: SandboxAnswer;
  expiredToken?: SandboxAnswer;
  busy?: SandboxAnswer;
  rateLimit?: SandboxAnswer;
  /** The answer when a resource the request names does not exist (`ctx.notFound()` in a state handler). */
  notFound?: SandboxAnswer;
  /** The token endpoint's answer to a credential not sent / not the one issued, by client option name. */
  missingCredential?: Record<string, SandboxAnswer>;
  badCredential?: Record<string, SandboxAnswer>;
  /** The answer to a path under the vendor that is no operation of its spec (default `{status: 404}`). */
  unknownOperation?: SandboxAnswer;
  /** The answer to an operation's path called with another method (default `unknownOperation`). */
  wrongMethod?: SandboxAnswer;
  successMessage?: string;
  /** Credentials the sandbox accepts, under the client option names of `x-scrm-auth.credentials`. */
  credentials?: Record<string, string>;
  /** The callback configuration the sandbox signs with; `receiveId` names the credential that is the receiver id. */
  callback?: {
    token: string;
    encodingAESKey: string;
    receiveId: string;
    /** The outer fields of a signed callback: the receiver id and the ciphertext (default `ToUserName`, `Encrypt`). */
    envelope?: { receiver?: string; ciphertext?: string };
    /** Where the decrypted payload names the receiver (dotted path): set to the receiver id in built payloads. */
    payloadReceiver?: string;
  };
  /**
   * Further token kinds (`x-scrm-tokens`), by kind: the fixed credentials the sandbox accepts (WeCom's suite id and
   * secret, provider corp id and secret) and how the vendor answers a credential or token of the kind.
   */
  tokens?: Record<
    string,
    {
      credentials?: Record<string, string>;
      missingCredential?: Record<string, SandboxAnswer>;
      badCredential?: Record<string, SandboxAnswer>;
      missingToken?: SandboxAnswer;
      invalidToken?: SandboxAnswer;
      expiredToken?: SandboxAnswer;
    }
  >;
  /** The sandbox's app for service providers (WeCom 服务商): its instruction callback and the install codes' lifetimes. */
  provider?: {
    callback: { token: string; encodingAESKey: string; receiveId: string };
    /** For the sandbox only; default: the token kind's `ticket` (`x-scrm-tokens`, the profile's `tokens`). */
    ticketIntervalSeconds?: number;
    ticketTtlSeconds?: number;
    preAuthCodeTtlSeconds?: number;
    authCodeTtlSeconds?: number;
  };
  /** How the vendor delivers and re-delivers its callbacks (see ./callbacks/). */
  callbackDelivery?: {
    urlPerKind?: boolean;
    maxAttempts: number;
    untilAcknowledged?: boolean;
    delaySeconds?: number;
    dedupeBy?: string;
  };
}

/** The compiled model of a vendor (`specs/<vendor>/dist/profile.json`, written by codegen). */
export interface CompiledModel {
  profile: VendorProfile;
  sandbox: SandboxConfig;
}

/** A vendor served from files outside the sandbox's dependencies (a new vendor being written, a test fixture). */
export interface VendorFiles {
  /** The bundled OpenAPI document (`dist/openapi.json`). */
  openapi: string;
  /** The compiled model codegen wrote for it (`dist/profile.json`). */
  profile: string;
}

/**
 * The vendors this sandbox serves: one per `@scrm-openapi/<vendor>-spec` among its dependencies (a spec whose
 * `x-scrm-vendor` is not `<vendor>` is refused when it is compiled), in the order their specs declare
 * (`info.x-scrm-display-order`, then by name). Adding a vendor is adding that dependency.
 */
export const VENDORS: readonly VendorName[] = Object.keys(
  (requireHere('@scrm-openapi/mock-server/package.json') as { dependencies?: Record<string, string> }).dependencies ?? {},
)
  .map((dep) => /^@scrm-openapi\/([a-z][a-z0-9-]*)-spec$/.exec(dep)?.[1])
  .filter((v): v is string => v !== undefined)
  .map((v) => ({ v, order: displayOrder(loadSpec(v)) }))
  .sort((a, b) => a.order - b.order || a.v.localeCompare(b.v))
  .map(({ v }) => v);

/** `info.x-scrm-display-order` of a spec (specs without one come last). */
export function displayOrder(spec: Json): number {
  const order = spec.info?.['x-scrm-display-order'];
  return typeof order === 'number' ? order : Number.MAX_SAFE_INTEGER;
}

export type Envelope = EnvelopeSpec;

export interface OperationRuntime {
  vendor: VendorName;
  id: string;
  method: string;
  path: string;
  /** The route under the vendor prefix, in the server's syntax (`:param`). */
  route: string;
  idempotent: boolean;
  envelope: Envelope;
  /** Which configured credential the operation checks, where and under which name; undefined = none. */
  credential?: { use: string; fallback?: string; in: 'query' | 'body'; name: string };
  isTokenEndpoint: boolean;
  /** The further token kind the operation carries (`x-scrm-token`), sent as that kind's `inject.name`. */
  token?: string;
  /** The further token kinds (`x-scrm-tokens`) this operation issues (WeCom `get_suite_token`, `get_corp_token`). */
  issues: string[];
  pagination?: PaginationSpec;
  /** The spec's success example (a fresh copy each time). */
  example: () => unknown;
  /** The same example as the JSON text the sandbox sends (stringified once); undefined when there is none (or null). */
  exampleText?: string;
  validateQuery?: ValidateFunction;
  validatePath?: ValidateFunction;
  /** Query and path values read as the vendor reads them (text → declared type, strict mode only). */
  readQuery?: (values: Json) => Json;
  readPath?: (values: Json) => Json;
  validateBody?: ValidateFunction;
  bodyType?: string;
  /** Query parameters of which a call must give at least one (compiled from `x-scrm-at-least-one-of`). */
  atLeastOneOf?: readonly string[];
}

export interface VendorRuntime {
  name: VendorName;
  spec: Json;
  profile: VendorProfile;
  baseUrl: string;
  envelope: Envelope;
  auth: AuthSpec;
  sandbox: SandboxConfig;
  operations: OperationRuntime[];
  webhooks: Json;
  /** A validator of the schema at `pointer` (`#/webhooks/…`) in the spec, compiled by the spec's own ajv. */
  validatorAt(pointer: string): ValidateFunction;
}

export function loadSpec(vendor: VendorName): Json {
  return JSON.parse(readFileSync(requireHere.resolve(`@scrm-openapi/${vendor}-spec/openapi.json`), 'utf8'));
}

/** The compiled model of a vendor the sandbox depends on (written by the vendor package's `generate` task). */
export function loadModel(vendor: VendorName): CompiledModel {
  let file: string;
  try {
    file = requireHere.resolve(`@scrm-openapi/${vendor}-spec/profile.json`);
  } catch (error) {
    throw new Error(
      `@scrm-openapi/${vendor}-spec has no compiled profile.json: run \`npx turbo run generate\` (${(error as Error).message})`,
    );
  }
  return JSON.parse(readFileSync(file, 'utf8')) as CompiledModel;
}

/** A vendor given as files: its bundled spec and compiled model. */
export function loadFiles(files: VendorFiles): { spec: Json; model: CompiledModel } {
  return { spec: JSON.parse(readFileSync(files.openapi, 'utf8')), model: JSON.parse(readFileSync(files.profile, 'utf8')) as CompiledModel };
}

function resolve(spec: Json, node: any): any {
  let current = node;
  for (let i = 0; current?.$ref && i < 10; i++) {
    current = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((acc: any, k: string) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  }
  return current;
}

const pointer = (segments: (string | number)[]) => `#/${segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function exampleOf(media: Json | undefined): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0] as Json | undefined;
  return first?.value;
}

export interface CompileOptions {
  /** `strict` (default): bodies checked as sent, parameters read as the vendor does; `lenient`: ajv's type coercion. */
  validation?: ValidationMode;
}

export function compileVendor(
  name: VendorName,
  spec: Json = loadSpec(name),
  model: CompiledModel = loadModel(name),
  options: CompileOptions = {},
): VendorRuntime {
  const lenient = options.validation === 'lenient';
  if (options.validation !== undefined && options.validation !== 'strict' && !lenient)
    throw new Error(`validation must be 'strict' or 'lenient', not ${JSON.stringify(options.validation)}`);
  if (spec['x-scrm-vendor'] !== name)
    throw new Error(`the spec of ${name} declares x-scrm-vendor ${JSON.stringify(spec['x-scrm-vendor'])}`);
  const profile = model.profile;
  if (profile?.vendor !== name) throw new Error(`the compiled profile of ${name} is the profile of ${JSON.stringify(profile?.vendor)}`);
  const id = `https://scrm-openapi.invalid/${name}.json`;
  const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: lenient, useDefaults: false });
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: id }, id);
  const envelope: Envelope = profile.envelope;
  const auth = profile.auth;
  const operations: OperationRuntime[] = [];

  for (const [path, item0] of Object.entries(spec.paths ?? {})) {
    const item = resolve(spec, item0);
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const meta: OperationMeta | undefined = profile.operations[`${method.toUpperCase()} ${path}`];
      if (!meta)
        throw new Error(
          `the compiled profile of ${name} has no ${method.toUpperCase()} ${path}: regenerate it (\`npx turbo run generate\`)`,
        );
      const segments = ['paths', path, method];
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => resolve(spec, p));
      const group = (where: string) => params.filter((p: Json) => p.in === where);
      const paramReader = (where: string) => {
        const list = group(where);
        if (lenient || list.length === 0) return undefined;
        return parameterReader(list.map((p: Json) => ({ name: p.name, schema: resolve(spec, p.schema) })));
      };
      const paramValidator = (where: string) => {
        const list = group(where);
        if (list.length === 0) return undefined;
        return ajv.compile({
          type: 'object',
          properties: Object.fromEntries(list.map((p: Json) => [p.name, p.schema ?? {}])),
          required: list.filter((p: Json) => p.required).map((p: Json) => p.name),
        });
      };
      const bodyContent = resolve(spec, op.requestBody)?.content ?? {};
      const bodyType = Object.keys(bodyContent)[0];
      const validateBody =
        bodyType === 'application/json'
          ? ajv.compile({ $ref: id + pointer([...segments, 'requestBody', 'content', 'application/json', 'schema']) })
          : undefined;
      const success = resolve(spec, op.responses?.['200']);
      const successMedia = success?.content?.['application/json'] ?? Object.values(success?.content ?? {})[0];
      const isTokenEndpoint = auth.type === 'token-endpoint' && meta.id === auth.operationId;
      let credential: OperationRuntime['credential'];
      if (meta.credential) {
        const c = meta.credential;
        credential = { use: c.use, fallback: c.fallback, in: c.in ?? 'query', name: c.name ?? auth.inject.name };
      } else if (meta.authenticated !== false && !isTokenEndpoint) {
        credential = { use: auth.type === 'static' ? auth.default : 'token', in: 'query', name: auth.inject.name };
      }
      const example = exampleOf(successMedia);
      operations.push({
        vendor: name,
        id: meta.id,
        method: method.toUpperCase(),
        path,
        route: path.replace(/\{([^}]+)\}/g, ':$1'),
        idempotent: meta.idempotent,
        envelope: meta.envelope ?? envelope,
        credential,
        isTokenEndpoint,
        token: meta.token,
        issues: Object.entries(profile.tokens ?? {})
          .filter(([, kind]) => kind.operationId === meta.id)
          .map(([kind]) => kind),
        pagination: meta.pagination,
        example: () => structuredClone(example),
        exampleText: example == null ? undefined : JSON.stringify(example),
        validateQuery: paramValidator('query'),
        validatePath: paramValidator('path'),
        readQuery: paramReader('query'),
        readPath: paramReader('path'),
        validateBody,
        bodyType,
        atLeastOneOf: meta.atLeastOneOf,
      });
    }
  }
  return {
    name,
    spec,
    profile,
    baseUrl: profile.baseUrl,
    envelope,
    auth,
    sandbox: model.sandbox ?? {},
    operations,
    webhooks: spec.webhooks ?? {},
    validatorAt: (at) => ajv.compile({ $ref: id + at }),
  };
}

/** "body.user: must NOT have more than 1 items" — names the field, never echoes a value. */
export function describeErrors(where: string, validate: ValidateFunction): string {
  const e = validate.errors?.[0];
  if (!e) return `${where}: invalid`;
  const field =
    e.keyword === 'required' ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}` : e.instancePath;
  const name = field.replace(/^\//, '').replace(/\//g, '.');
  return `${where}${name ? `.${name}` : ''}: ${e.message ?? 'invalid'}`;
}
