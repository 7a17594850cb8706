// openapi.ts: openapi-typescript's types (paths, components, operations, webhooks).
import openapiTS, { astToString } from 'openapi-typescript';
import type { Spec } from '../spec.js';
import { header, type EmitContext } from './format.js';

export async function emitOpenapi(spec: Spec, ctx: EmitContext): Promise<string> {
  const ast = await openapiTS(managedTokensOptional(structuredClone(spec)) as unknown as Parameters<typeof openapiTS>[0], {
    defaultNonNullable: false,
    silent: true,
    exportType: false,
  });
  return `${header(ctx)}${astToString(ast)}`;
}

type Json = Record<string, unknown>;
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
