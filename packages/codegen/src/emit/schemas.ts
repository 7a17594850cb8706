// schemas.ts: one friendly alias per component schema.
import type { Spec } from '../spec.js';
import { header, q, type EmitContext } from './format.js';

export function emitSchemas(spec: Spec, ctx: EmitContext): string {
  const schemas = spec.components?.schemas ?? {};
  const names = Object.keys(schemas).sort();
  const lines = names.map((n) => {
    const d = schemas[n]?.title ?? n;
    return `/** ${String(d).replace(/\*\//g, '*\\/')} */\nexport type ${n} = components['schemas'][${q(n)}];`;
  });
  return `${header(ctx)}import type { components } from './openapi.js';\n\n${lines.join('\n')}\n`;
}
