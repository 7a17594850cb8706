// Checks that every example in a bundled spec validates against its own schema (JSON Schema 2020-12 via ajv).
// Shared by every vendor spec's test: one generic check over the bundle.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { HTTP_METHODS, type JsonNode } from './spec.js';

type AddFormats = (ajv: Ajv2020) => unknown;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);
const SPEC_ID = 'https://scrm-openapi.invalid/spec.json';

export interface ExampleCheck {
  label: string;
  schemaPointer: string;
  value: unknown;
}

export interface SpecOperation {
  id: string;
  where: string;
  hasRequestInput: boolean;
  checks: ExampleCheck[];
}

/** Validates `value` against the schema at `schemaPointer` of the spec; returns the problems (empty: valid). */
export type SpecValidator = (schemaPointer: string, value: unknown) => string[];

const pointer = (segments: (string | number)[]): string =>
  `#/${segments.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function resolve(spec: JsonNode, node: any): any {
  let current = node;
  for (let i = 0; current && typeof current === 'object' && typeof current.$ref === 'string' && i < 10; i++) {
    const ref: string = current.$ref;
    const parts = ref
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = parts.reduce<any>((acc, k) => acc?.[k], spec);
  }
  return current;
}

function mediaExamples(media: any): { name: string; value: unknown }[] {
  const out: { name: string; value: unknown }[] = [];
  if (media?.example !== undefined) out.push({ name: 'example', value: media.example });
  for (const [name, ex] of Object.entries<any>(media?.examples ?? {})) {
    if (ex && typeof ex === 'object' && 'value' in ex) out.push({ name: `examples.${name}`, value: ex.value });
  }
  return out;
}

/**
 * Lists every operation (and webhook) of the spec with the examples it carries:
 * [{ id, where, checks: [{ label, schemaPointer, value }] }]
 */
export function collectOperations(spec: JsonNode): SpecOperation[] {
  const operations: SpecOperation[] = [];
  const visit = (kind: string, key: string, item: any, basePath: string[]) => {
    for (const method of HTTP_METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const segments = [...basePath, method];
      const checks: ExampleCheck[] = [];
      (op.parameters ?? []).forEach((p: any, i: number) => {
        const param = resolve(spec, p);
        const schemaPtr = p.$ref ? `${p.$ref}/schema` : pointer([...segments, 'parameters', i, 'schema']);
        if (param?.example !== undefined) checks.push({ label: `parameter ${param.name}`, schemaPointer: schemaPtr, value: param.example });
        for (const [n, ex] of Object.entries<any>(param?.examples ?? {}))
          checks.push({ label: `parameter ${param.name} (${n})`, schemaPointer: schemaPtr, value: ex.value });
      });
      const body = resolve(spec, op.requestBody);
      const bodyBase = op.requestBody?.$ref ? op.requestBody.$ref.split('/').slice(1) : [...segments, 'requestBody'];
      for (const [type, media] of Object.entries<any>(body?.content ?? {})) {
        for (const ex of mediaExamples(media)) {
          checks.push({
            label: `request ${type} ${ex.name}`,
            schemaPointer: pointer([...bodyBase, 'content', type, 'schema']),
            value: ex.value,
          });
        }
      }
      for (const [status, r] of Object.entries<any>(op.responses ?? {})) {
        const response = resolve(spec, r);
        const base = r.$ref ? r.$ref.split('/').slice(1) : [...segments, 'responses', status];
        for (const [type, media] of Object.entries<any>(response?.content ?? {})) {
          for (const ex of mediaExamples(media)) {
            checks.push({
              label: `response ${status} ${type} ${ex.name}`,
              schemaPointer: pointer([...base, 'content', type, 'schema']),
              value: ex.value,
            });
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
  for (const [p, item] of Object.entries<any>(spec.paths ?? {})) visit('path', p, resolve(spec, item), ['paths', p]);
  for (const [name, item] of Object.entries<any>(spec.webhooks ?? {})) visit('webhook', name, resolve(spec, item), ['webhooks', name]);
  return operations;
}

/** An ajv instance that knows the whole spec, so that `#/components/...` references resolve. */
export function createSpecValidator(spec: JsonNode): SpecValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: SPEC_ID }, SPEC_ID);
  const cache = new Map<string, ValidateFunction>();
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
export function checkOperationExamples(
  spec: JsonNode,
  operation: SpecOperation,
  validator: SpecValidator = createSpecValidator(spec),
): string[] {
  const problems: string[] = [];
  if (!operation.checks.some((c) => c.label.startsWith('response 200'))) problems.push(`${operation.where}: no 200 response example`);
  if (operation.hasRequestInput && !operation.checks.some((c) => c.label.startsWith('request') || c.label.startsWith('parameter'))) {
    problems.push(`${operation.where}: no request example`);
  }
  for (const check of operation.checks) {
    for (const message of validator(check.schemaPointer, check.value)) problems.push(`${operation.where} ${check.label}: ${message}`);
  }
  return problems;
}
