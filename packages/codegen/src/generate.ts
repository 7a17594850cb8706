// Generates a vendor package's src/generated/ from its bundled spec, in three steps:
//   load and validate (spec.ts, against vocabulary.schema.json) → compile the profile (compile.ts) →
//   one emitter per output file (emit/*.ts):
//     openapi.ts    — openapi-typescript types of the operations (paths, components, operations)
//     schemas.ts    — friendly aliases, one per component schema of openapi.ts
//     webhooks.ts   — openapi-typescript types of the callbacks (webhooks, their components and operations)
//     webhook-schemas.ts — friendly aliases, one per component schema of webhooks.ts
//     profile.ts    — the runtime profile (envelope, auth, error actions, operation metadata) from x-scrm-*
//     errors.ts     — the error-code union type and the full catalog (names, meanings, actions)
//     provenance.ts — x-scrm-source of every operation (tree-shaken away unless imported)
//     callbacks.ts  — what callback parsers need to know about webhook payloads, and the event types
//     validators.ts — standalone ajv validators of the JSON webhook payloads
// It also writes the compiled model as JSON beside the bundled spec (dist/profile.json) for the sandbox and docs.
// Output is deterministic: same spec in, same bytes out.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { compileModel } from './compile.js';
import { emitCallbacks } from './emit/callbacks.js';
import { emitErrors } from './emit/errors.js';
import type { EmitContext } from './emit/format.js';
import { emitOpenapi, emitWebhooks } from './emit/openapi.js';
import { emitProfile } from './emit/profile.js';
import { emitProvenance } from './emit/provenance.js';
import { emitSchemas } from './emit/schemas.js';
import { emitValidators } from './emit/validators.js';
import { loadSpec, SpecError } from './spec.js';

export interface GenerateOptions {
  /** The bundled spec (`specs/<vendor>/dist/openapi.json`). */
  specPath: string;
  /** Optional: must equal the spec's `x-scrm-vendor`. */
  vendor?: string | undefined;
  /** The package's `src/generated/`. */
  outDir: string;
  /** Where the compiled model goes; default `profile.json` beside the spec. `false`: not written. */
  profileJson?: string | false | undefined;
}

/** Generates every file; returns the paths written to `outDir`. */
export async function generate({ specPath, vendor: requested, outDir, profileJson }: GenerateOptions): Promise<string[]> {
  const spec = await loadSpec(specPath);
  // the spec names its vendor (x-scrm-vendor); a --vendor given as well must agree with it
  const vendor = spec['x-scrm-vendor'] ?? requested;
  if (typeof vendor !== 'string' || !/^[a-z][a-z0-9]*$/.test(vendor))
    throw new SpecError('root: x-scrm-vendor must name the vendor (lowercase letters and digits)');
  if (requested !== undefined && requested !== vendor) throw new SpecError(`root: x-scrm-vendor is ${vendor}, not ${requested}`);
  const ctx: EmitContext = { vendor, label: `specs/${vendor} (dist/openapi.json)` };
  const model = compileModel(spec, vendor);
  const files: Record<string, string> = {
    'openapi.ts': await emitOpenapi(spec, ctx),
    'schemas.ts': emitSchemas(spec, 'paths', ctx),
    'webhooks.ts': await emitWebhooks(spec, ctx),
    'webhook-schemas.ts': emitSchemas(spec, 'webhooks', ctx),
    'profile.ts': emitProfile(model.profile, ctx),
    'errors.ts': emitErrors(spec, ctx),
    'provenance.ts': emitProvenance(spec, ctx),
    'callbacks.ts': emitCallbacks(spec, ctx),
    'validators.ts': emitValidators(spec, ctx),
  };
  await mkdir(outDir, { recursive: true });
  // remove files this generator no longer produces
  for (const f of await readdir(outDir)) if (!(f in files)) await rm(path.join(outDir, f));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(outDir, name), content);
  if (profileJson !== false) {
    await writeFile(profileJson ?? path.join(path.dirname(specPath), 'profile.json'), `${JSON.stringify(model, null, 2)}\n`);
  }
  return Object.keys(files).map((f) => path.join(outDir, f));
}
