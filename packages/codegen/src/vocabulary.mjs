// @ts-check
// Checks x-scrm-* extensions against the vocabulary (vocabulary.schema.json, JSON Schema 2020-12). Shared by the
// Redocly rule `scrm/vocabulary` (which runs from source, before anything is built) and by codegen's load step, so
// both refuse the same things with the same words. Plain JavaScript, type-checked by tsc (checkJs).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** @typedef {'root' | 'info' | 'operation' | 'schema'} Place */
/** @typedef {{ key: string, path: (string | number)[], message: string }} VocabularyProblem */

/** @type {Record<string, any>} */
export const vocabularySchema = JSON.parse(readFileSync(new URL('./vocabulary.schema.json', import.meta.url), 'utf8'));

/** @type {(ajv: Ajv2020) => unknown} */
const addFormats = /** @type {any} */ (addFormatsModule).default ?? addFormatsModule;
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema(vocabularySchema);

/** @type {Record<Place, string>} */
const PLACE_NAME = { root: 'the root object', info: 'the info object', operation: 'an operation', schema: 'a schema object' };

/** The extensions allowed at each place, and their descriptions. */
export const vocabulary = /** @type {Record<Place, Record<string, Record<string, any>>>} */ ({
  root: vocabularySchema.$defs.root.properties,
  info: vocabularySchema.$defs.info.properties,
  operation: vocabularySchema.$defs.operation.properties,
  schema: vocabularySchema.$defs.schema.properties,
});

/**
 * Edit distance, to suggest the extension or field a typo meant.
 * @param {string} a
 * @param {string} b
 */
function distance(a, b) {
  /** @type {number[]} */
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        /** @type {number} */ (prev[j]) + 1,
        /** @type {number} */ (row[j - 1]) + 1,
        /** @type {number} */ (prev[j - 1]) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return /** @type {number} */ (prev[b.length]);
}

/**
 * The candidate a misspelt word probably meant (a small edit distance), if any.
 * @param {string} word
 * @param {Iterable<string>} candidates
 * @returns {string | undefined}
 */
export function closest(word, candidates) {
  let best;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

/** @param {(string | number)[]} path */
const dotted = (path) => path.reduce((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${seg}`), '');

/**
 * Turns ajv's errors into one message per problem, naming the field (`x-scrm-pagination.style`).
 * @param {string} key
 * @param {import('ajv').ErrorObject[]} errors
 * @returns {VocabularyProblem[]}
 */
function explain(key, errors) {
  /** @type {Map<string, VocabularyProblem>} */
  const out = new Map();
  // "one of these fields is required" (anyOf of required): one message instead of one per alternative
  const alternatives = errors.filter(
    (e) => e.keyword === 'anyOf' && errors.some((r) => r.keyword === 'required' && r.schemaPath.startsWith(`${e.schemaPath}/`)),
  );
  for (const e of alternatives) {
    const names = errors
      .filter((r) => r.keyword === 'required' && r.schemaPath.startsWith(`${e.schemaPath}/`))
      .map((r) => r.params.missingProperty);
    const path = e.instancePath.split('/').slice(1);
    const message = `${key}${dotted(path)} needs one of ${names.join(', ')}`;
    out.set(message, { key, path, message });
  }
  const inAlternative = (/** @type {import('ajv').ErrorObject} */ r) =>
    alternatives.some((a) => r.schemaPath.startsWith(`${a.schemaPath}/`));
  // a failing if/then or oneOf/anyOf adds a summary error next to the precise ones: keep the precise ones
  const precise = errors.filter((e) => !['if', 'oneOf', 'anyOf'].includes(e.keyword) && !inAlternative(e));
  const chosen = precise.length || alternatives.length ? precise : errors;
  for (const e of chosen) {
    /** @type {(string | number)[]} */
    const path = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    let message;
    let at = path;
    const field = `${key}${dotted(path)}`;
    if (e.keyword === 'additionalProperties') {
      const extra = String(e.params.additionalProperty);
      at = [...path, extra];
      const known = Object.keys(/** @type {any} */ (e.parentSchema)?.properties ?? {});
      const guess = closest(extra, known);
      message = `${key}${dotted(at)} is not a field of ${field}${guess ? ` (did you mean ${guess}?)` : ''}; known fields: ${known.join(', ')}`;
    } else if (e.keyword === 'enum') {
      message = `${field} must be one of ${/** @type {unknown[]} */ (e.params.allowedValues).join(', ')}, not ${JSON.stringify(e.data)}`;
    } else if (e.keyword === 'const') {
      message = `${field} must be ${JSON.stringify(e.params.allowedValue)}, not ${JSON.stringify(e.data)}`;
    } else if (e.keyword === 'required') {
      message = `${field || key} is missing ${e.params.missingProperty}`;
    } else {
      message = `${field} ${e.message}`;
    }
    out.set(message, { key, path: at, message });
  }
  return [...out.values()];
}

/**
 * Checks one extension's value.
 * @param {Place} place
 * @param {string} key an `x-scrm-*` key
 * @param {unknown} value
 * @returns {VocabularyProblem[]}
 */
export function checkExtension(place, key, value) {
  const allowed = vocabulary[place];
  if (!(key in allowed)) {
    const elsewhere = /** @type {Place[]} */ (Object.keys(vocabulary)).filter((p) => key in vocabulary[p]);
    if (elsewhere.length) {
      return [
        {
          key,
          path: [],
          message: `${key} does not belong on ${PLACE_NAME[place]}; it goes on ${elsewhere.map((p) => PLACE_NAME[p]).join(' or ')}`,
        },
      ];
    }
    const guess = closest(key, Object.keys(allowed));
    return [
      {
        key,
        path: [],
        message: `${key} is not an x-scrm extension${guess ? ` (did you mean ${guess}?)` : ''}; known on ${PLACE_NAME[place]}: ${Object.keys(allowed).join(', ')}`,
      },
    ];
  }
  const validate = ajv.getSchema(`${vocabularySchema.$id}#/$defs/${place}/properties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  if (!validate) throw new Error(`vocabulary: no schema for ${place} ${key}`);
  return validate(value) ? [] : explain(key, validate.errors ?? []);
}

/**
 * Checks every `x-scrm-*` key of an object (the spec root, or an operation). Values must already be resolved
 * (`$ref` followed). Does not check which extensions are required.
 * @param {Place} place
 * @param {Record<string, unknown>} node
 * @returns {VocabularyProblem[]}
 */
export function checkExtensions(place, node) {
  return Object.entries(node).flatMap(([key, value]) => (key.startsWith('x-scrm-') ? checkExtension(place, key, value) : []));
}
