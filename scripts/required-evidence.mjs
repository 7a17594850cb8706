#!/usr/bin/env node
// Which response fields a spec marks as required, and on what evidence (`x-scrm-required-because` beside each
// `required` list; see specs/README.md). Walks every schema an answer or a callback can carry: the 2xx JSON
// responses of `paths` and the request bodies of `webhooks`, following `$ref`s, `allOf`/`oneOf`/`anyOf`,
// properties, items and additionalProperties. Each schema object is counted once, however many answers share it.
//
//   node scripts/required-evidence.mjs           a table per vendor and kind of evidence (all vendors)
//   requiredEvidence(spec)                       { counts, fields, missing } for one bundled spec (spec tests)
import { pathToFileURL } from 'node:url';

export const KINDS = ['envelope', 'vendor-marker', 'official-schema', 'purpose'];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function resolve(spec, node) {
  let n = node;
  for (let i = 0; n && typeof n.$ref === 'string' && n.$ref.startsWith('#/') && i < 20; i++) {
    n = n.$ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((acc, k) => acc?.[k], spec);
  }
  return n;
}

/** The JSON schemas of every 2xx answer and every webhook payload, with where they were found. */
function answerSchemas(spec) {
  const out = [];
  const jsonSchemas = (content, at) => {
    for (const [type, media] of Object.entries(content ?? {})) if (media?.schema && /json|xml/.test(type)) out.push([media.schema, at]);
  };
  for (const [p, item] of Object.entries(spec.paths ?? {})) {
    for (const m of METHODS) {
      const op = item?.[m];
      if (!op) continue;
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (/^2/.test(status)) jsonSchemas(resolve(spec, response)?.content, `${m.toUpperCase()} ${p} ${status}`);
      }
    }
  }
  for (const [name, item] of Object.entries(spec.webhooks ?? {})) {
    for (const m of METHODS) {
      const body = resolve(spec, item?.[m]?.requestBody);
      if (body) jsonSchemas(body.content, `webhook ${name}`);
    }
  }
  return out;
}

/**
 * @param {Record<string, any>} spec a bundled spec (specs/<vendor>/dist/openapi.json)
 * @returns {{ counts: Record<string, number>, fields: number, missing: string[] }} required response fields by kind
 *   of evidence, their total, and the required fields that have no evidence (`<where> → <field>`)
 */
export function requiredEvidence(spec) {
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0]));
  const missing = [];
  const seen = new Set();
  let fields = 0;
  // `condition`: the schema is the `if` of an if/then; its `required` list is a test on the answer, not a claim
  // that the answer carries the field, so it is not counted (the schemas below it still are)
  const walk = (node, at, condition = false) => {
    const schema = resolve(spec, node);
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
    seen.add(schema);
    const where = typeof node?.$ref === 'string' ? node.$ref.split('/').pop() : at;
    const because = schema['x-scrm-required-because'] ?? {};
    for (const field of !condition && Array.isArray(schema.required) ? schema.required : []) {
      fields++;
      if (because[field]) counts[because[field]] = (counts[because[field]] ?? 0) + 1;
      else missing.push(`${where} → ${field}`);
    }
    for (const key of ['allOf', 'oneOf', 'anyOf']) for (const s of schema[key] ?? []) walk(s, where);
    for (const [name, s] of Object.entries(schema.properties ?? {})) walk(s, `${where}.${name}`);
    if (schema.items) walk(schema.items, `${where}[]`);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${where}{}`);
    for (const key of ['if', 'then', 'else']) if (schema[key]) walk(schema[key], where, key === 'if');
  };
  for (const [schema, at] of answerSchemas(spec)) walk(schema, at);
  return { counts, fields, missing };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { bundledSpec, vendors } = await import('@scrm-openapi/vendors');
  console.log(`| vendor | required response fields | ${KINDS.join(' | ')} | without evidence |`);
  console.log(`|---|---|${KINDS.map(() => '---|').join('')}---|`);
  for (const v of vendors) {
    const { counts, fields, missing } = requiredEvidence(bundledSpec(v));
    console.log(`| ${v.name} | ${fields} | ${KINDS.map((k) => counts[k]).join(' | ')} | ${missing.length} |`);
  }
}
