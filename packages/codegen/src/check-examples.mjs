// Checks that every example in a bundled spec validates against its own schema (JSON Schema 2020-12 via ajv).
// Shared by every vendor spec's test: one generic check over the bundle.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule.default ?? addFormatsModule;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SPEC_ID = 'https://scrm-openapi.invalid/spec.json';

const pointer = (segments) => '#/' + segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function resolve(spec, node) {
  let current = node;
  for (let i = 0; current && typeof current === 'object' && typeof current.$ref === 'string' && i < 10; i++) {
    const parts = current.$ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = parts.reduce((acc, k) => acc?.[k], spec);
  }
  return current;
}

function mediaExamples(media) {
  const out = [];
  if (media?.example !== undefined) out.push({ name: 'example', value: media.example });
  for (const [name, ex] of Object.entries(media?.examples ?? {})) {
    if (ex && 'value' in ex) out.push({ name: `examples.${name}`, value: ex.value });
  }
  return out;
}

/**
 * Lists every operation (and webhook) of the spec with the examples it carries:
 * [{ id, where, checks: [{ label, schemaPointer, value }] }]
 */
export function collectOperations(spec) {
  const operations = [];
  const visit = (kind, key, item, basePath) => {
    for (const method of HTTP_METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const segments = [...basePath, method];
      const checks = [];
      (op.parameters ?? []).forEach((p, i) => {
        const param = resolve(spec, p);
        const schemaPtr = p.$ref ? `${p.$ref}/schema` : pointer([...segments, 'parameters', i, 'schema']);
        if (param?.example !== undefined) checks.push({ label: `parameter ${param.name}`, schemaPointer: schemaPtr, value: param.example });
        for (const [n, ex] of Object.entries(param?.examples ?? {})) checks.push({ label: `parameter ${param.name} (${n})`, schemaPointer: schemaPtr, value: ex.value });
      });
      const body = resolve(spec, op.requestBody);
      const bodyBase = op.requestBody?.$ref ? op.requestBody.$ref.split('/').slice(1) : [...segments, 'requestBody'];
      for (const [type, media] of Object.entries(body?.content ?? {})) {
        for (const ex of mediaExamples(media)) {
          checks.push({ label: `request ${type} ${ex.name}`, schemaPointer: pointer([...bodyBase, 'content', type, 'schema']), value: ex.value });
        }
      }
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const response = resolve(spec, r);
        const base = r.$ref ? r.$ref.split('/').slice(1) : [...segments, 'responses', status];
        for (const [type, media] of Object.entries(response?.content ?? {})) {
          for (const ex of mediaExamples(media)) {
            checks.push({ label: `response ${status} ${type} ${ex.name}`, schemaPointer: pointer([...base, 'content', type, 'schema']), value: ex.value });
          }
        }
      }
      operations.push({
        id: op.operationId ?? `${method.toUpperCase()} ${key}`,
        where: `${kind} ${method.toUpperCase()} ${key}`,
        hasRequestInput: Boolean(op.requestBody) || (op.parameters ?? []).length > 0,
        checks,
      });
    }
  };
  for (const [p, item] of Object.entries(spec.paths ?? {})) visit('path', p, resolve(spec, item), ['paths', p]);
  for (const [name, item] of Object.entries(spec.webhooks ?? {})) visit('webhook', name, resolve(spec, item), ['webhooks', name]);
  return operations;
}

/** An ajv instance that knows the whole spec, so that `#/components/...` references resolve. */
export function createSpecValidator(spec) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: SPEC_ID }, SPEC_ID);
  const cache = new Map();
  return (schemaPointer, value) => {
    let validate = cache.get(schemaPointer);
    if (!validate) {
      validate = ajv.compile({ $ref: SPEC_ID + schemaPointer });
      cache.set(schemaPointer, validate);
    }
    const ok = validate(value);
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  };
}

/**
 * Validates every example of one operation. Returns a list of problems (empty when all is well): an example
 * that does not match its schema, a missing success-response example, a missing request example.
 */
export function checkOperationExamples(spec, operation, validator = createSpecValidator(spec)) {
  const problems = [];
  if (!operation.checks.some((c) => c.label.startsWith('response 200'))) problems.push(`${operation.where}: no 200 response example`);
  if (operation.hasRequestInput && !operation.checks.some((c) => c.label.startsWith('request') || c.label.startsWith('parameter'))) {
    problems.push(`${operation.where}: no request example`);
  }
  for (const check of operation.checks) {
    for (const message of validator(check.schemaPointer, check.value)) problems.push(`${operation.where} ${check.label}: ${message}`);
  }
  return problems;
}
