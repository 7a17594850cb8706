// openapi.ts: openapi-typescript's types (paths, components, operations, webhooks), trimmed of three kinds of
// boilerplate that say nothing openapi-fetch reads but that every consumer's type-check parses and binds: a path
// item's `get?: never` / `put?: never` … for the methods it does not have (a missing key means the same to
// openapi-fetch: the method is not offered for that path); a path item's own `parameters` when it declares none
// (openapi-fetch reads each operation's parameters, which stay as they are); and a response's
// `headers: { [name: string]: unknown }` when the spec declares no header (openapi-fetch never types response
// headers). Nothing else is changed. Measured by the bench's tsc rows.
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

const trim: ts.TransformerFactory<ts.Node> = (context) => {
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isTypeLiteralNode(node)) {
      const members = node.members.filter((m) => !isAbsentMethod(m) && !isOpenHeaders(m) && !isEmptyPathParameters(m, node.members));
      const kept =
        members.length === node.members.length
          ? node
          : context.factory.updateTypeLiteralNode(node, context.factory.createNodeArray(members));
      return ts.visitEachChild(kept, visit, context);
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (node) => ts.visitNode(node, visit) as ts.Node;
};

export async function emitOpenapi(spec: Spec, ctx: EmitContext): Promise<string> {
  const ast = await openapiTS(structuredClone(spec) as unknown as Parameters<typeof openapiTS>[0], {
    defaultNonNullable: false,
    silent: true,
    exportType: false,
  });
  const trimmed = ts.transform(ast, [trim]).transformed;
  return `${header(ctx)}${astToString(trimmed)}`;
}
