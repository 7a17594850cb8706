// Compile: turn a validated spec's x-scrm-* extensions into core's VendorProfile (what the runtime reads), plus the
// facts only the sandbox needs. Checks what the schema cannot see on its own: references between extensions
// (the token operation, credential names, duplicate codes).
import type { AuthSpec, EnvelopeSpec, ErrorAction, OperationMeta, PaginationSpec, TokenKind, VendorProfile } from '@scrm-openapi/core';
import {
  type JsonNode,
  type LocatedOperation,
  type Operation,
  operationsOf,
  type PathItem,
  type RawEnvelope,
  type RawPagination,
  type RawSandbox,
  type RawTokenKind,
  SpecError,
  type Spec,
  validateSpec,
  webhookOperationsOf,
  propertiesOf,
} from './spec.js';
import { closest } from './vocabulary.mjs';

function requireField<T extends object, K extends keyof T>(obj: T | undefined, field: K, where: string): NonNullable<T[K]> {
  const value = obj?.[field];
  if (value === undefined || value === null) throw new SpecError(`${where}: missing ${String(field)}`);
  return value as NonNullable<T[K]>;
}

function compilePagination(pagination: RawPagination | undefined): PaginationSpec | undefined {
  if (!pagination) return undefined;
  const limit = pagination.limit ? { param: pagination.limit.param, max: pagination.limit.max } : undefined;
  switch (pagination.style) {
    case 'cursor': {
      const c = pagination.cursor;
      return { style: 'cursor', cursor: { in: c.in, param: c.param, next: c.next }, limit, items: pagination.items };
    }
    case 'offset': {
      const o = pagination.offset;
      return {
        style: 'offset',
        offset: { in: o.in, param: o.param, next: o.next },
        total: pagination.total,
        limit,
        items: pagination.items,
      };
    }
    case 'page': {
      const g = pagination.page;
      return {
        style: 'page',
        page: { in: g.in, param: g.param, start: g.start ?? 1 },
        total: pagination.total,
        limit,
        items: pagination.items,
      };
    }
  }
}

function compileEnvelope(e: RawEnvelope | 'none'): EnvelopeSpec;
function compileEnvelope(e: RawEnvelope | 'none' | undefined): EnvelopeSpec | undefined;
function compileEnvelope(e: RawEnvelope | 'none' | undefined): EnvelopeSpec | undefined {
  if (e === undefined) return undefined;
  if (e === 'none') return { code: '', message: '', success: [], none: true };
  return { code: e.code, message: e.message, success: e.success, codeOptional: e.codeOptional === true ? true : undefined };
}

/** The token endpoint an auth declaration names: a GET or POST operation of the spec. */
function tokenEndpoint(ops: LocatedOperation[], operationId: string, where: string) {
  const tokenOp = ops.find((o) => o.op.operationId === operationId);
  if (!tokenOp) throw new SpecError(`${where} ${operationId} is not an operation of the spec`);
  const method = tokenOp.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') throw new SpecError(`${where} ${operationId} must be a GET or a POST`);
  return {
    method: method as 'GET' | 'POST',
    path: tokenOp.path,
    credentialsIn: tokenOp.method === 'get' ? ('query' as const) : ('body' as const),
  };
}

/** Follows a local `$ref` (`#/components/parameters/…`) of a bundled spec. */
function resolveLocal(spec: Spec, node: JsonNode | undefined): JsonNode | undefined {
  const ref = node?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  return ref
    .slice(2)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<JsonNode | undefined>((acc, k) => acc?.[k], spec as JsonNode);
}

/** The kind a misspelt kind name probably meant, as a hint. */
function closestKind(name: string, kinds: Iterable<string>): string {
  const near = closest(name, kinds);
  return near ? ` (did you mean ${near}?)` : '';
}

/**
 * `ticket` of a token kind: the credential it is sent as is one of the kind's, the webhook that pushes it is one of
 * the spec's and its payload declares the field, and a fresh ticket comes before the kept one expires.
 */
function compileTicket(spec: Spec, t: RawTokenKind, where: string): TokenKind['ticket'] {
  const ticket = t.ticket;
  if (!ticket) return undefined;
  const at = `${where}.ticket`;
  const params = Object.keys(t.credentials);
  if (!params.includes(ticket.credential)) {
    throw new SpecError(
      `${at}.credential: ${ticket.credential} is not a parameter of credentials${closestKind(ticket.credential, params)}; known: ${params.join(', ')}`,
    );
  }
  const hooks = webhookOperationsOf(spec).filter((o) => o.path === ticket.webhook);
  if (hooks.length === 0) {
    const names = Object.keys(spec.webhooks ?? {});
    throw new SpecError(`${at}.webhook: ${ticket.webhook} is not a webhook of the spec${closestKind(ticket.webhook, names)}`);
  }
  const declared = hooks.some(({ op }) =>
    Object.values<JsonNode>(resolveLocal(spec, op.requestBody)?.content ?? {}).some((media) =>
      [...propertiesOf(spec, media?.schema)].some(([name]) => name === ticket.field),
    ),
  );
  if (!declared) throw new SpecError(`${at}.field: the payload of webhook ${ticket.webhook} declares no field ${ticket.field}`);
  if (ticket.intervalSeconds !== undefined && ticket.intervalSeconds >= ticket.ttlSeconds) {
    throw new SpecError(`${at}: intervalSeconds ${ticket.intervalSeconds} must be less than ttlSeconds ${ticket.ttlSeconds}`);
  }
  return {
    credential: ticket.credential,
    webhook: ticket.webhook,
    field: ticket.field,
    ttlSeconds: ticket.ttlSeconds,
    intervalSeconds: ticket.intervalSeconds,
  };
}

/** The values an install link carries besides the kind's credentials (`x-scrm-tokens.<kind>.installPage.query`). */
const INSTALL_LINK_VALUES = ['preAuthCode', 'redirectUri', 'state'];

/**
 * `installPage` of a token kind: each query value is a link value or a credential option of the kind that is not a
 * secret (a secret never goes into a URL), and the link says where to send the administrator back.
 */
function compileInstallPage(t: RawTokenKind, where: string): TokenKind['installPage'] {
  const page = t.installPage;
  if (!page) return undefined;
  const at = `${where}.installPage`;
  const secrets = new Set(t.secrets ?? []);
  const options = Object.entries(t.credentials)
    .filter(([param]) => !secrets.has(param))
    .map(([, option]) => option);
  const known = [...options, ...INSTALL_LINK_VALUES];
  for (const [name, value] of Object.entries(page.query)) {
    if (known.includes(value)) continue;
    const secret = Object.entries(t.credentials).some(([param, option]) => option === value && secrets.has(param));
    throw new SpecError(
      secret
        ? `${at}.query.${name}: ${value} is a secret of the kind, which never goes into a link`
        : `${at}.query.${name}: ${value} is not a value of an install link${closestKind(value, known)}; known: ${known.join(', ')}`,
    );
  }
  if (!Object.values(page.query).includes('redirectUri'))
    throw new SpecError(`${at}.query: no parameter carries redirectUri (where the administrator is sent back)`);
  return { url: page.url, query: { ...page.query } };
}

/**
 * Compiles x-scrm-tokens and checks every reference between kinds: `provides` and `carries` name kinds that exist,
 * a kind that provides another has no `inject` of its own, and the others have one.
 */
function compileTokens(spec: Spec, raw: Record<string, RawTokenKind> | undefined, defaultKind: string, ops: LocatedOperation[]) {
  if (!raw) return undefined;
  const names = new Set([defaultKind, ...Object.keys(raw)]);
  const tokens: Record<string, TokenKind> = {};
  for (const [name, t] of Object.entries(raw)) {
    const where = `x-scrm-tokens.${name}`;
    if (name === defaultKind) throw new SpecError(`${where}: ${name} is already the kind of x-scrm-auth`);
    for (const field of ['provides', 'carries'] as const) {
      const ref = t[field];
      if (ref !== undefined && !names.has(ref))
        throw new SpecError(`${where}.${field}: ${ref} is not a token kind${closestKind(ref, names)}`);
      if (ref === name) throw new SpecError(`${where}.${field}: a kind cannot name itself`);
    }
    if (t.provides !== undefined && t.inject !== undefined) {
      throw new SpecError(`${where}: a kind that provides ${t.provides} is sent as ${t.provides} is; drop its inject`);
    }
    tokens[name] = {
      ...tokenEndpoint(ops, t.operation, `${where}.operation`),
      operationId: t.operation,
      credentials: t.credentials,
      secrets: t.secrets ?? [],
      token: { field: t.token.field, expiresIn: t.token.expiresIn, defaultTtlSeconds: t.token.defaultTtlSeconds },
      inject: t.inject,
      refreshOn: t.refreshOn ?? [],
      provides: t.provides,
      carries: t.carries,
      ticket: compileTicket(spec, t, where),
      installPage: compileInstallPage(t, where),
    };
  }
  return tokens;
}

/** `x-scrm-at-least-one-of`: every name must be an optional query parameter of the operation. */
function compileAtLeastOneOf(spec: Spec, where: string, op: Operation, item: PathItem | undefined): string[] | undefined {
  const names = op['x-scrm-at-least-one-of'];
  if (!names) return undefined;
  const params = [...(item?.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolveLocal(spec, p));
  for (const name of names) {
    const param = params.find((p) => p?.name === name && p?.in === 'query');
    if (!param) throw new SpecError(`${where}: x-scrm-at-least-one-of names ${name}, which is not a query parameter of the operation`);
    if (param.required === true) throw new SpecError(`${where}: x-scrm-at-least-one-of names ${name}, which is already required`);
  }
  return [...names];
}

/** Compiles the runtime profile of a spec (validated first: a spec the vocabulary refuses throws SpecError). */
export function buildProfile(input: unknown, vendor: string): VendorProfile {
  validateSpec(input);
  const spec: Spec = input;
  const auth = spec['x-scrm-auth'];
  const ops = operationsOf(spec);

  const errorActions: Record<string, ErrorAction> = {};
  const seen = new Set<number | string>();
  for (const e of spec['x-scrm-errors']) {
    if (seen.has(e.code)) throw new SpecError(`x-scrm-errors: duplicate code ${e.code}`);
    seen.add(e.code);
    if (e.action !== 'fail') errorActions[String(e.code)] = e.action;
  }

  const defaultKind = auth.kind ?? 'default';
  const tokens = compileTokens(spec, spec['x-scrm-tokens'], defaultKind, ops);
  const rootServer = spec.servers?.[0]?.url;
  const operations: Record<string, OperationMeta> = {};
  for (const { path: p, method, op, item } of ops) {
    const where = `${method.toUpperCase()} ${p}`;
    const credential = op['x-scrm-credential'];
    if (credential !== undefined) {
      if (auth.type !== 'static') throw new SpecError(`${where}: x-scrm-credential needs static auth`);
      for (const field of ['use', 'fallback'] as const) {
        const name = credential[field];
        if (name !== undefined && !(name in auth.credentials)) {
          throw new SpecError(`${where}: x-scrm-credential.${field} ${name} is not a credential of x-scrm-auth`);
        }
      }
    }
    const tokenKind = op['x-scrm-token'];
    if (tokenKind !== undefined && tokenKind !== defaultKind) {
      const kind = tokens?.[tokenKind];
      if (!kind) {
        const known = [defaultKind, ...Object.keys(tokens ?? {})];
        throw new SpecError(
          `${where}: x-scrm-token ${tokenKind} is not a token kind${closestKind(tokenKind, known)}; known: ${known.join(', ')}`,
        );
      }
      if (!kind.inject) throw new SpecError(`${where}: x-scrm-token ${tokenKind} provides ${kind.provides}; name ${kind.provides} instead`);
      const declared = [...(item?.parameters ?? []), ...(op.parameters ?? [])]
        .map((p) => resolveLocal(spec, p))
        .some((p) => p?.in === 'query' && p.name === kind.inject?.name);
      if (!declared)
        throw new SpecError(
          `${where}: x-scrm-token ${tokenKind} is sent as the query parameter ${kind.inject.name}, which the operation does not declare`,
        );
    }
    const server = op.servers?.[0]?.url ?? item?.servers?.[0]?.url;
    const requestId = op['x-scrm-request-id'];
    operations[where] = {
      id: requireField(op, 'operationId', where),
      idempotent: requireField(op, 'x-scrm-idempotent', where),
      // `security: []` without x-scrm-credential: the operation takes no managed credential (gettoken, provider/suite-token calls)
      authenticated: Array.isArray(op.security) && op.security.length === 0 && credential === undefined ? false : undefined,
      credential: credential ? { use: credential.use, fallback: credential.fallback, in: credential.in, name: credential.name } : undefined,
      envelope: compileEnvelope(op['x-scrm-envelope']),
      server: server && server !== rootServer ? server : undefined,
      requestId: requestId ? { in: requestId.in ?? 'body', param: requestId.param } : undefined,
      deprecated: op.deprecated === true ? true : undefined,
      pagination: compilePagination(op['x-scrm-pagination']),
      // the free-text note (x-scrm-rate-limit.note) stays in the spec and the docs: nothing at runtime reads it
      rateLimitGroup: op['x-scrm-rate-limit']?.group,
      token: tokenKind !== undefined && tokenKind !== defaultKind ? tokenKind : undefined,
      atLeastOneOf: compileAtLeastOneOf(spec, where, op, item),
      binary: isBinaryAnswer(spec, op) ? true : undefined,
    };
  }

  const redact = spec['x-scrm-redact'] ?? [];
  const bodyCredentialNames = Object.values(operations).flatMap((o) => (o.credential?.name ? [o.credential.name] : []));
  const tokenSecrets = Object.values(tokens ?? {}).flatMap((t) => [...t.secrets, ...(t.inject ? [t.inject.name] : [])]);
  const secretParams = [
    ...new Set([
      ...(auth.type === 'token-endpoint' ? (auth.secrets ?? []) : []),
      auth.inject.name,
      ...bodyCredentialNames,
      ...tokenSecrets,
      ...redact,
    ]),
  ].sort();
  let compiledAuth: AuthSpec;
  if (auth.type === 'token-endpoint') {
    const { method, path, credentialsIn } = tokenEndpoint(ops, auth.operation, 'x-scrm-auth.operation');
    compiledAuth = {
      type: auth.type,
      kind: auth.kind,
      method,
      path,
      operationId: auth.operation,
      credentialsIn,
      credentials: auth.credentials,
      secrets: auth.secrets ?? [],
      token: { field: auth.token.field, expiresIn: auth.token.expiresIn, defaultTtlSeconds: auth.token.defaultTtlSeconds },
      inject: auth.inject,
      refreshOn: auth.refreshOn ?? [],
    };
  } else {
    if (!(auth.default in auth.credentials)) throw new SpecError(`x-scrm-auth.default ${auth.default} is not one of its credentials`);
    compiledAuth = {
      type: 'static',
      kind: auth.kind,
      credentials: auth.credentials,
      default: auth.default,
      inject: auth.inject,
      refreshOn: auth.refreshOn,
    };
  }
  const groups = new Set((spec['x-scrm-rate-limits'] ?? []).flatMap((r) => (r.scope === 'group' && r.group ? [r.group] : [])));
  for (const [where, meta] of Object.entries(operations)) {
    if (meta.rateLimitGroup !== undefined && !groups.has(meta.rateLimitGroup)) {
      throw new SpecError(`${where}: x-scrm-rate-limit.group ${meta.rateLimitGroup} has no x-scrm-rate-limits rule with scope group`);
    }
  }
  const rateLimits = (spec['x-scrm-rate-limits'] ?? []).map((r) => ({
    scope: r.scope,
    group: r.group,
    limit: r.limit,
    intervalMs: r.perSeconds * 1000,
    burst: r.burst,
  }));
  const httpErrorList = spec['x-scrm-http-errors'] ?? [];
  const httpErrors: Record<string, { name: string; action: ErrorAction }> = {};
  for (const e of httpErrorList) httpErrors[String(e.status)] = { name: e.name, action: e.action };
  return {
    vendor,
    baseUrl: requireField(spec.servers?.[0], 'url', 'servers[0]'),
    envelope: compileEnvelope(spec['x-scrm-envelope']),
    auth: compiledAuth,
    tokens,
    errorActions,
    operations,
    secretParams,
    httpErrors: httpErrorList.length ? httpErrors : undefined,
    rateLimits: rateLimits.length ? rateLimits : undefined,
  };
}

/** What only the sandbox needs (x-scrm-sandbox): how the vendor answers each situation it reproduces. */
export type SandboxFacts = RawSandbox;

/** The compiled model written beside the bundled spec (`dist/profile.json`): the runtime profile and the sandbox facts. */
export interface CompiledModel {
  profile: VendorProfile;
  sandbox: SandboxFacts;
}

export function compileModel(input: unknown, vendor: string): CompiledModel {
  const profile = buildProfile(input, vendor);
  const sandbox = (input as Spec)['x-scrm-sandbox'] ?? {};
  // the sandbox's token kinds are the spec's, and the provider callback's receiver is one of their credentials
  for (const kind of Object.keys(sandbox.tokens ?? {})) {
    if (!profile.tokens?.[kind])
      throw new Error(
        `x-scrm-sandbox.tokens.${kind}: no such token kind in x-scrm-tokens (${Object.keys(profile.tokens ?? {}).join(', ')})`,
      );
  }
  const receiveId = sandbox.provider?.callback.receiveId;
  if (receiveId !== undefined && !Object.values(sandbox.tokens ?? {}).some((t) => t.credentials?.[receiveId] !== undefined))
    throw new Error(`x-scrm-sandbox.provider.callback.receiveId: ${receiveId} is no credential of x-scrm-sandbox.tokens`);
  return { profile, sandbox };
}

/**
 * Whether an operation's success answer is a file rather than JSON: its 200 response declares content and none of
 * it is JSON (`media/get` answers `application/octet-stream`, or the JSON error envelope on the same URL).
 */
function isBinaryAnswer(spec: Spec, op: JsonNode): boolean {
  const ok = resolveLocal(spec, op.responses?.['200']);
  const types = Object.keys(ok?.content ?? {});
  return types.length > 0 && !types.some((t) => /json/i.test(t));
}
