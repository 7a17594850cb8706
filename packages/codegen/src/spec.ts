// Load and validate: read a bundled spec, check every x-scrm-* extension against the vocabulary
// (vocabulary.schema.json) and the facts the vocabulary cannot express alone, before anything is compiled.
import { readFile } from 'node:fs/promises';
import { checkExtensions, vocabularySchema } from './vocabulary.mjs';

export class SpecError extends Error {
  override name = 'SpecError';
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The raw extensions, as the vocabulary defines them (vocabulary.schema.json is the definition; these mirror it). */
export type Action = 'refresh-token' | 'retry' | 'throttle' | 'fail';
export type Confidence = 'doc' | 'sdk' | 'inferred';
export type ParamIn = 'body' | 'query';

export interface RawEnvelope {
  code: string;
  message: string;
  success: (number | string)[];
  codeOptional?: boolean;
}

export interface RawInject {
  in: 'query';
  name: string;
}

export interface RawTokenEndpointAuth {
  type: 'token-endpoint';
  kind?: string;
  operation: string;
  credentials: Record<string, string>;
  secrets?: string[];
  token: { field: string; expiresIn?: string; defaultTtlSeconds: number };
  inject: RawInject;
  refreshOn?: number[];
}

export interface RawStaticAuth {
  type: 'static';
  kind?: string;
  credentials: Record<string, string>;
  default: string;
  inject: RawInject;
  refreshOn?: number[];
}

/** A further token kind (`x-scrm-tokens`): a token endpoint of its own, or another way of obtaining an existing kind. */
export interface RawTokenKind {
  description?: string;
  operation: string;
  credentials: Record<string, string>;
  secrets?: string[];
  token: { field: string; expiresIn?: string; defaultTtlSeconds: number };
  inject?: RawInject;
  refreshOn?: number[];
  provides?: string;
  carries?: string;
  ticket?: { credential: string; webhook: string; field: string; ttlSeconds: number; intervalSeconds?: number };
  installPage?: { url: string; query: Record<string, string> };
}

export interface RawErrorCode {
  code: number | string;
  name: string;
  meaning: string;
  action: Action;
  category?: string;
  hint?: string;
  confidence?: Confidence;
}

export interface RawHttpError {
  status: number;
  name: string;
  meaning: string;
  action: Action;
  category?: string;
  hint?: string;
  confidence?: Confidence;
}

export interface RawRateLimitRule {
  scope: 'operation' | 'group' | 'vendor';
  group?: string;
  limit: number;
  perSeconds: number;
  burst?: number;
}

export type RawSandboxAnswer = number | { status: number; text?: string };

export interface RawSandbox {
  parameterError?: RawSandboxAnswer;
  missingToken?: RawSandboxAnswer;
  invalidToken?: RawSandboxAnswer;
  expiredToken?: RawSandboxAnswer;
  busy?: RawSandboxAnswer;
  rateLimit?: RawSandboxAnswer;
  notFound?: RawSandboxAnswer;
  /** The token endpoint's answer to a credential not sent, by client option name. */
  missingCredential?: Record<string, RawSandboxAnswer>;
  /** The token endpoint's answer to a credential the vendor did not issue, by client option name. */
  badCredential?: Record<string, RawSandboxAnswer>;
  /** The answer to a path that is no operation of the spec. */
  unknownOperation?: RawSandboxAnswer;
  /** The answer to an operation's path called with another method. */
  wrongMethod?: RawSandboxAnswer;
  successMessage?: string;
  /** The credentials the sandbox accepts, by client option name. */
  credentials?: Record<string, string>;
  /** The callback configuration the sandbox signs with; `receiveId` names the credential that is the receiver id. */
  callback?: { token: string; encodingAESKey: string; receiveId: string };
  /** How further token kinds (x-scrm-tokens) are issued and checked, by kind: fixed credentials and answers. */
  tokens?: Record<
    string,
    {
      credentials?: Record<string, string>;
      missingCredential?: Record<string, RawSandboxAnswer>;
      badCredential?: Record<string, RawSandboxAnswer>;
      missingToken?: RawSandboxAnswer;
      invalidToken?: RawSandboxAnswer;
      expiredToken?: RawSandboxAnswer;
      note?: string;
    }
  >;
  /** The sandbox's app for service providers: its instruction callback and the lifetimes of the install codes. */
  provider?: {
    callback: { token: string; encodingAESKey: string; receiveId: string };
    ticketIntervalSeconds?: number;
    ticketTtlSeconds?: number;
    preAuthCodeTtlSeconds?: number;
    authCodeTtlSeconds?: number;
    note?: string;
  };
  /** How the vendor delivers and re-delivers its callbacks. */
  callbackDelivery?: {
    urlPerKind?: boolean;
    maxAttempts: number;
    untilAcknowledged?: boolean;
    delaySeconds?: number;
    dedupeBy?: string;
    note?: string;
  };
}

export interface RawSource {
  docId?: string;
  url?: string;
  confidence: Confidence;
  checkedAgainst?: string[];
  note?: string;
}

export interface RawPageLimit {
  param: string;
  max?: number;
}

export type RawPagination =
  | { style: 'cursor'; cursor: { in: ParamIn; param: string; next: string }; limit?: RawPageLimit; items: string }
  | { style: 'offset'; offset: { in: ParamIn; param: string; next?: string }; total?: string; limit?: RawPageLimit; items: string }
  | { style: 'page'; page: { in: ParamIn; param: string; start?: number }; total?: string; limit?: RawPageLimit; items: string };

export interface RawCredential {
  use: string;
  fallback?: string;
  in?: ParamIn;
  name?: string;
}

/** JSON Schema / OpenAPI nodes the emitters walk without caring for their exact shape. */
export type JsonNode = Record<string, any>;

export interface Operation {
  operationId?: string;
  parameters?: JsonNode[];
  security?: unknown[];
  servers?: { url: string }[];
  deprecated?: boolean;
  requestBody?: JsonNode;
  'x-scrm-source'?: RawSource;
  'x-scrm-idempotent'?: boolean;
  'x-scrm-pagination'?: RawPagination;
  'x-scrm-rate-limit'?: { group?: string; note?: string };
  'x-scrm-envelope'?: RawEnvelope | 'none';
  'x-scrm-credential'?: RawCredential;
  'x-scrm-token'?: string;
  'x-scrm-request-id'?: { in?: 'body'; param: string };
  'x-scrm-at-least-one-of'?: string[];
  [key: string]: unknown;
}

export type PathItem = Partial<Record<HttpMethod, Operation>> & { servers?: { url: string }[]; parameters?: JsonNode[] };

export interface Spec {
  servers?: { url: string }[];
  paths?: Record<string, PathItem>;
  webhooks?: Record<string, PathItem>;
  components?: { schemas?: Record<string, JsonNode> } & JsonNode;
  'x-scrm-vendor'?: string;
  'x-scrm-envelope': RawEnvelope;
  'x-scrm-auth': RawTokenEndpointAuth | RawStaticAuth;
  'x-scrm-tokens'?: Record<string, RawTokenKind>;
  'x-scrm-errors': RawErrorCode[];
  'x-scrm-http-errors'?: RawHttpError[];
  'x-scrm-redact'?: string[];
  'x-scrm-rate-limits'?: RawRateLimitRule[];
  'x-scrm-sandbox'?: RawSandbox;
  [key: string]: unknown;
}

export interface LocatedOperation {
  path: string;
  method: HttpMethod;
  op: Operation;
  item: PathItem;
}

/** The operations under `paths`, in spec order. */
export function operationsOf(spec: Spec): LocatedOperation[] {
  return itemsOf(spec.paths);
}

/** The operations under `webhooks`, in spec order (keyed by webhook name in `path`). */
export function webhookOperationsOf(spec: Spec): LocatedOperation[] {
  return itemsOf(spec.webhooks);
}

function itemsOf(items: Record<string, PathItem> | undefined): LocatedOperation[] {
  const ops: LocatedOperation[] = [];
  for (const [p, item] of Object.entries(items ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = item?.[method];
      if (op) ops.push({ path: p, method, op, item });
    }
  }
  return ops;
}

/**
 * Checks a parsed spec against the vocabulary: every x-scrm-* key known and in its place, every value well formed,
 * and the extensions codegen needs present. Throws one SpecError listing every problem.
 */
export function validateSpec(input: unknown): asserts input is Spec {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new SpecError('the spec is not a JSON object');
  const spec = input as JsonNode;
  const problems: string[] = [];
  const check = (where: string, place: 'root' | 'info' | 'operation', node: JsonNode) => {
    for (const p of checkExtensions(place, node)) problems.push(`${where}: ${p.message}`);
  };
  check('root', 'root', spec);
  if (spec.info && typeof spec.info === 'object') check('info', 'info', spec.info as JsonNode);
  for (const field of vocabularySchema.$defs.root.required as string[]) {
    if (spec[field] === undefined) problems.push(`root: missing ${field}`);
  }
  for (const { path, method, op } of operationsOf(spec as Spec)) {
    const where = `${method.toUpperCase()} ${path}`;
    check(where, 'operation', op);
    if (op['x-scrm-idempotent'] === undefined) problems.push(`${where}: missing x-scrm-idempotent (true or false)`);
    if (op['x-scrm-source'] === undefined) problems.push(`${where}: missing x-scrm-source`);
  }
  for (const { path, method, op } of webhookOperationsOf(spec as Spec)) check(`webhook ${method.toUpperCase()} ${path}`, 'operation', op);
  if (problems.length === 1) throw new SpecError(problems[0]);
  if (problems.length) throw new SpecError(`${problems.length} problems with the x-scrm-* extensions:\n  ${problems.join('\n  ')}`);
}

/** Reads a bundled spec (JSON) and validates it. */
export async function loadSpec(specPath: string): Promise<Spec> {
  const spec: unknown = JSON.parse(await readFile(specPath, 'utf8'));
  validateSpec(spec);
  return spec;
}

/**
 * Walks a schema (resolving $ref, allOf, and the branches of oneOf / anyOf) and yields [propertyName,
 * propertySchema, always]: `always` is false for a property of a branch, which only some payloads have.
 */
export function* propertiesOf(spec: Spec, schema: JsonNode | undefined, depth = 0, always = true): Generator<[string, JsonNode, boolean]> {
  if (!schema || depth > 10) return;
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<any>((acc, k) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    yield* propertiesOf(spec, target, depth + 1, always);
    return;
  }
  for (const part of (schema.allOf ?? []) as JsonNode[]) yield* propertiesOf(spec, part, depth + 1, always);
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])] as JsonNode[])
    yield* propertiesOf(spec, branch, depth + 1, false);
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, JsonNode>)) yield [name, prop, always];
}
