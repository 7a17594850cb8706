/**
 * Loads a vendor's bundled spec and compiles what the sandbox needs for every operation: its route, request
 * validators (ajv, against the spec itself), envelope, credential and a success example. Nothing here is written
 * per operation: an operation added to a spec is served without code changes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => void;
const require = createRequire(import.meta.url);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A vendor's short name (its spec's `x-scrm-vendor`), e.g. `wecom`. */
export type VendorName = string;

/**
 * The vendors this sandbox serves: one per `@scrm-openapi/<vendor>-spec` among its dependencies (a spec whose
 * `x-scrm-vendor` is not `<vendor>` is refused when it is compiled). Adding a vendor is adding that dependency.
 */
export const VENDORS: readonly VendorName[] = Object.keys((require('../package.json') as { dependencies?: Record<string, string> }).dependencies ?? {})
  .map((dep) => /^@scrm-openapi\/([a-z][a-z0-9-]*)-spec$/.exec(dep)?.[1])
  .filter((v): v is string => v !== undefined)
  .sort();

type Json = Record<string, any>;

/** A vendor answer: a body code, or an HTTP status. */
export type SandboxAnswer = number | { status: number };

/** x-scrm-sandbox: how the vendor answers each situation the sandbox reproduces, and its success message. */
export interface SandboxConfig {
  parameterError?: SandboxAnswer;
  missingToken?: SandboxAnswer;
  invalidToken?: SandboxAnswer;
  expiredToken?: SandboxAnswer;
  busy?: SandboxAnswer;
  rateLimit?: SandboxAnswer;
  successMessage?: string;
  /** Credentials the sandbox accepts, under the client option names of `x-scrm-auth.credentials`. */
  credentials?: Record<string, string>;
}

export interface Envelope {
  code: string;
  message: string;
  success: (number | string)[];
  none?: boolean;
}

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
  pagination?: Json;
  /** The spec's success example (a fresh copy each time). */
  example: () => unknown;
  validateQuery?: ValidateFunction;
  validatePath?: ValidateFunction;
  validateBody?: ValidateFunction;
  bodyType?: string;
}

export interface VendorRuntime {
  name: VendorName;
  spec: Json;
  baseUrl: string;
  envelope: Envelope;
  auth: Json;
  sandbox: SandboxConfig;
  operations: OperationRuntime[];
  webhooks: Json;
}

export function loadSpec(vendor: VendorName): Json {
  return JSON.parse(readFileSync(require.resolve(`@scrm-openapi/${vendor}-spec/openapi.json`), 'utf8'));
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

const pointer = (segments: (string | number)[]) => '#/' + segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function exampleOf(media: Json | undefined): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = Object.values(media.examples ?? {})[0] as Json | undefined;
  return first?.value;
}

export function compileVendor(name: VendorName, spec: Json = loadSpec(name)): VendorRuntime {
  if (spec['x-scrm-vendor'] !== name) throw new Error(`the spec of ${name} declares x-scrm-vendor ${JSON.stringify(spec['x-scrm-vendor'])}`);
  const id = `https://scrm-openapi.invalid/${name}.json`;
  const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: true, useDefaults: false });
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: id }, id);
  const envelope: Envelope = { ...spec['x-scrm-envelope'] };
  const auth = spec['x-scrm-auth'] ?? {};
  const operations: OperationRuntime[] = [];

  for (const [path, item0] of Object.entries(spec.paths ?? {})) {
    const item = resolve(spec, item0);
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const segments = ['paths', path, method];
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => resolve(spec, p));
      const group = (where: string) => params.filter((p: Json) => p.in === where);
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
      const rawEnvelope = op['x-scrm-envelope'];
      const opEnvelope: Envelope =
        rawEnvelope === 'none' ? { code: '', message: '', success: [], none: true } : rawEnvelope ? { ...rawEnvelope } : envelope;
      const isTokenEndpoint = auth.type === 'token-endpoint' && op.operationId === auth.operation;
      let credential: OperationRuntime['credential'];
      const declared = op['x-scrm-credential'];
      const noSecurity = Array.isArray(op.security) && op.security.length === 0;
      if (declared) {
        credential = { use: declared.use, fallback: declared.fallback, in: declared.in ?? 'query', name: declared.name ?? auth.inject.name };
      } else if (!noSecurity && !isTokenEndpoint) {
        credential = { use: auth.type === 'static' ? auth.default : 'token', in: 'query', name: auth.inject.name };
      }
      const example = exampleOf(successMedia);
      operations.push({
        vendor: name,
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        route: path.replace(/\{([^}]+)\}/g, ':$1'),
        idempotent: op['x-scrm-idempotent'] === true,
        envelope: opEnvelope,
        credential,
        isTokenEndpoint,
        pagination: op['x-scrm-pagination'],
        example: () => structuredClone(example),
        validateQuery: paramValidator('query'),
        validatePath: paramValidator('path'),
        validateBody,
        bodyType,
      });
    }
  }
  return {
    name,
    spec,
    baseUrl: spec.servers?.[0]?.url,
    envelope,
    auth,
    sandbox: spec['x-scrm-sandbox'] ?? {},
    operations,
    webhooks: spec.webhooks ?? {},
  };
}

/** "body.user: must NOT have more than 1 items" — names the field, never echoes a value. */
export function describeErrors(where: string, validate: ValidateFunction): string {
  const e = validate.errors?.[0];
  if (!e) return `${where}: invalid`;
  const field = e.keyword === 'required' ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}` : e.instancePath;
  const name = field.replace(/^\//, '').replace(/\//g, '.');
  return `${where}${name ? `.${name}` : ''}: ${e.message ?? 'invalid'}`;
}
