// openapi.ts and webhooks.ts: openapi-typescript's types, one file per part of the spec a consumer uses. openapi.ts
// types the operations (`paths`, `operations` and the `components` they reach) and is what a vendor's root entry
// imports; webhooks.ts types the callbacks (`webhooks`, their `operations` and the `components` they reach) and is
// imported only by the `/callback` entry, so a project that only calls the API never parses the callback payloads.
// A component both parts reach is typed in both files.
//
// Both are trimmed of boilerplate that says nothing openapi-fetch reads but that every consumer's type-check parses
// and binds: a path item's `get?: never` / `put?: never` … for the methods it does not have (a missing key means the
// same to openapi-fetch: the method is not offered for that path); a path item's own `parameters` when it declares
// none (openapi-fetch reads each operation's parameters); the `header?: never`, `path?: never` and `cookie?: never`
// of an operation that takes no parameters at all (its `query?: never` stays, and refuses any other slot); and a
// response's `headers: { [name: string]: unknown }` when the spec declares no header (openapi-fetch never types
// response headers). Nothing else is changed. Measured by the bench's tsc rows.
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import type { Spec } from '../spec.js';
import { header, type EmitContext } from './format.js';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const nameOf = (member: ts.TypeElement): string | undefined =>
  member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;

/** `get?: never` — a method a path item does not have. */
const isAbsentMethod = (member: ts.TypeElement): boolean =>
  ts.isPropertySignature(member) &&
  member.questionToken !== undefined &&
  METHODS.has(nameOf(member) ?? '') &&
  member.type?.kind === ts.SyntaxKind.NeverKeyword;

/** `headers: { [name: string]: unknown }` — the undeclared headers of a response. */
const isOpenHeaders = (member: ts.TypeElement): boolean => {
  if (!ts.isPropertySignature(member) || nameOf(member) !== 'headers' || !member.type || !ts.isTypeLiteralNode(member.type)) return false;
  const [only, ...rest] = member.type.members;
  return (
    rest.length === 0 &&
    only !== undefined &&
    ts.isIndexSignatureDeclaration(only) &&
    only.type.kind === ts.SyntaxKind.UnknownKeyword &&
    only.parameters[0]?.type?.kind === ts.SyntaxKind.StringKeyword
  );
};

/** A path item's `parameters: { query?: never; header?: never; path?: never; cookie?: never }` (not an operation's). */
const isEmptyPathParameters = (member: ts.TypeElement, siblings: readonly ts.TypeElement[]): boolean =>
  ts.isPropertySignature(member) &&
  nameOf(member) === 'parameters' &&
  !siblings.some((s) => nameOf(s) === 'responses') &&
  member.type !== undefined &&
  ts.isTypeLiteralNode(member.type) &&
  member.type.members.every(
    (m) => ts.isPropertySignature(m) && m.questionToken !== undefined && m.type?.kind === ts.SyntaxKind.NeverKeyword,
  );

/** `name?: never`. */
const isAbsent = (member: ts.TypeElement): boolean =>
  ts.isPropertySignature(member) && member.questionToken !== undefined && member.type?.kind === ts.SyntaxKind.NeverKeyword;

/** An operation's `header?: never`, `path?: never` or `cookie?: never`: a parameter slot it does not have. */
const isAbsentSlot = (member: ts.TypeElement): boolean => ['header', 'path', 'cookie'].includes(nameOf(member) ?? '') && isAbsent(member);

/** An operation (a type literal with `responses`) without parameters: `parameters: { query?: never }` only. */
function trimOperationParameters(node: ts.TypeLiteralNode, factory: ts.NodeFactory): ts.TypeLiteralNode {
  if (!node.members.some((m) => nameOf(m) === 'responses')) return node;
  let changed = false;
  const members = node.members.map((m) => {
    if (!ts.isPropertySignature(m) || nameOf(m) !== 'parameters' || !m.type || !ts.isTypeLiteralNode(m.type)) return m;
    // only when the operation has no parameters at all: beside a slot it has, the absent ones are what refuses an
    // extra slot (openapi-fetch infers the init, so no excess-property check applies; `{ query?: never }` alone
    // still refuses any other slot, as an object with no property in common with it)
    if (!m.type.members.every((slot) => isAbsentSlot(slot) || (nameOf(slot) === 'query' && isAbsent(slot)))) return m;
    const slots = m.type.members.filter((slot) => !isAbsentSlot(slot));
    if (slots.length === m.type.members.length) return m;
    changed = true;
    return factory.updatePropertySignature(
      m,
      m.modifiers,
      m.name,
      m.questionToken,
      factory.updateTypeLiteralNode(m.type, factory.createNodeArray(slots)),
    );
  });
  return changed ? factory.updateTypeLiteralNode(node, factory.createNodeArray(members)) : node;
}

const trim: ts.TransformerFactory<ts.Node> = (context) => {
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isTypeLiteralNode(node)) {
      const literal = trimOperationParameters(node, context.factory);
      const members = literal.members.filter((m) => !isAbsentMethod(m) && !isOpenHeaders(m) && !isEmptyPathParameters(m, literal.members));
      const kept =
        members.length === literal.members.length
          ? literal
          : context.factory.updateTypeLiteralNode(literal, context.factory.createNodeArray(members));
      return ts.visitEachChild(kept, visit, context);
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (node) => ts.visitNode(node, visit) as ts.Node;
};

/** The part of the spec one file types: the operations (`paths`) or the callbacks (`webhooks`). */
export type SpecPart = 'paths' | 'webhooks';

type Json = Record<string, unknown>;

/**
 * A copy of the spec with only one part: the other part emptied, and only the components the kept part reaches
 * (through `$ref`s, followed transitively). Security schemes are kept: no `$ref` names them.
 */
export function specPart(spec: Spec, part: SpecPart): Spec {
  const copy = structuredClone(spec) as Spec & Json;
  if (part === 'paths') delete copy.webhooks;
  else copy.paths = {};
  const components = (copy.components ?? {}) as Record<string, Record<string, unknown>>;
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/')) {
        const [group, name] = value
          .slice('#/components/'.length)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
        const id = `${group}/${name}`;
        if (group === undefined || name === undefined || reached.has(id)) continue;
        reached.add(id);
        visit(components[group]?.[name]);
      } else visit(value);
    }
  };
  visit(copy[part]);
  for (const [group, members] of Object.entries(components)) {
    if (group === 'securitySchemes' || !members || typeof members !== 'object') continue;
    for (const name of Object.keys(members)) if (!reached.has(`${group}/${name}`)) delete members[name];
  }
  return copy;
}

async function emitPart(spec: Spec, part: SpecPart, ctx: EmitContext): Promise<string> {
  const input = part === 'paths' ? managedTokensOptional(specPart(spec, part)) : specPart(spec, part);
  const ast = await openapiTS(input as unknown as Parameters<typeof openapiTS>[0], {
    defaultNonNullable: false,
    silent: true,
    exportType: false,
  });
  const trimmed = ts.transform(ast, [trim]).transformed;
  return `${header(ctx)}${astToString(trimmed)}`;
}

/** openapi.ts: the operations' types (`paths`, `operations`, the `components` they use). */
export const emitOpenapi = (spec: Spec, ctx: EmitContext): Promise<string> => emitPart(spec, 'paths', ctx);

/** webhooks.ts: the callbacks' types (`webhooks`, their `operations`, the `components` their payloads use). */
export const emitWebhooks = (spec: Spec, ctx: EmitContext): Promise<string> => emitPart(spec, 'webhooks', ctx);

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The query parameter that carries an operation's token kind (`x-scrm-token`, sent as the kind's `inject.name`) is
 * optional in the types: a client that manages the kind fills it in, one that does not asks for it at run time. The
 * spec (and so the sandbox's validation) keeps it required, as it is on the wire.
 */
function managedTokensOptional(spec: Spec): Spec {
  const kinds = ((spec as Json)['x-scrm-tokens'] ?? {}) as Record<string, { inject?: { name?: string } }>;
  for (const item of Object.values(((spec as Json).paths ?? {}) as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      const kind = op?.['x-scrm-token'];
      const name = typeof kind === 'string' ? kinds[kind]?.inject?.name : undefined;
      if (!op || name === undefined || !Array.isArray(op.parameters)) continue;
      op.parameters = (op.parameters as Json[]).map((p) =>
        p.in === 'query' && p.name === name
          ? {
              ...p,
              required: false,
              description: `Optional in these types: a client that manages the \`${kind}\` token kind fills it in.${typeof p.description === 'string' ? `\n\n${p.description}` : ''}`,
            }
          : p,
      );
    }
  }
  return spec;
}
