// schemas.ts and webhook-schemas.ts: one friendly alias per component schema of a part of the spec (see openapi.ts):
// the operations' schemas from openapi.ts, the callback payloads' schemas from webhooks.ts.
import type { Spec } from '../spec.js';
import { header, q, type EmitContext } from './format.js';
import { specPart, type SpecPart } from './openapi.js';

const MODULE: Record<SpecPart, string> = { paths: './openapi.js', webhooks: './webhooks.js' };

export function emitSchemas(spec: Spec, part: SpecPart, ctx: EmitContext): string {
  const schemas = specPart(spec, part).components?.schemas ?? {};
  const names = Object.keys(schemas).sort();
  const lines = names.map((n) => {
    const d = schemas[n]?.title ?? n;
    return `/** ${String(d).replace(/\*\//g, '*\\/')} */\nexport type ${n} = components['schemas'][${q(n)}];`;
  });
  return `${header(ctx)}import type { components } from '${MODULE[part]}';\n\n${lines.join('\n')}\n`;
}
