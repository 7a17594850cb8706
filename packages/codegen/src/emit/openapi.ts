// openapi.ts: openapi-typescript's types (paths, components, operations, webhooks).
import openapiTS, { astToString } from 'openapi-typescript';
import type { Spec } from '../spec.js';
import { header, type EmitContext } from './format.js';

export async function emitOpenapi(spec: Spec, ctx: EmitContext): Promise<string> {
  const ast = await openapiTS(structuredClone(spec) as unknown as Parameters<typeof openapiTS>[0], {
    defaultNonNullable: false,
    silent: true,
    exportType: false,
  });
  return `${header(ctx)}${astToString(ast)}`;
}
