// @ts-check
// Redocly plugin `scrm`: the rule `scrm/vocabulary` checks every x-scrm-* extension of a spec against the
// vocabulary (src/vocabulary.schema.json) and reports each problem at the field itself, so `redocly lint` names the
// file, the line and the field. Registered in the repository's redocly.yaml; runs from source (nothing to build).
import { checkExtension, vocabulary } from './src/vocabulary.mjs';

const PLACE_NAMES = { root: 'the root object', info: 'the info object', operation: 'an operation', schema: 'a schema object' };

const PLACES = /** @type {Record<string, import('./src/vocabulary.mjs').Place>} */ ({
  Root: 'root',
  Info: 'info',
  Operation: 'operation',
  Schema: 'schema',
});

/**
 * @param {any} ctx
 * @param {string} key
 * @param {unknown} raw
 */
function resolveValue(ctx, key, raw) {
  // x-scrm-errors is usually `$ref: errors.yaml`: validate the target and report inside that file
  if (raw && typeof raw === 'object' && typeof (/** @type {any} */ (raw).$ref) === 'string') {
    const resolved = ctx.resolve(raw);
    if (resolved.node !== undefined) return { value: resolved.node, location: resolved.location };
  }
  return { value: raw, location: ctx.location.child([key]) };
}

/**
 * `x-scrm-required-because` gives the evidence for fields of the same schema's `required` list: a field named there
 * but not required is a mistake (the evidence is for nothing).
 * @param {any} node
 * @param {any} ctx
 */
function reportUnrequired(node, ctx) {
  const because = node['x-scrm-required-because'];
  if (!because || typeof because !== 'object') return;
  const required = Array.isArray(node.required) ? node.required : [];
  for (const field of Object.keys(because)) {
    if (required.includes(field)) continue;
    ctx.report({
      message: `x-scrm-required-because.${field} gives evidence for a field that is not in this schema's required list`,
      location: ctx.location.child(['x-scrm-required-because', field]).key(),
    });
  }
}

/**
 * The token kinds an operation may name in `x-scrm-token`: the root `x-scrm-auth` kind and every `x-scrm-tokens`
 * kind that is sent on its own (not one that `provides` another).
 * @param {any} root
 * @returns {{ carried: string[], providing: Record<string, string> }}
 */
function tokenKinds(root) {
  const auth = root?.['x-scrm-auth'];
  const tokens = root?.['x-scrm-tokens'];
  const carried = [typeof auth?.kind === 'string' ? auth.kind : 'default'];
  /** @type {Record<string, string>} */
  const providing = {};
  if (tokens && typeof tokens === 'object' && !Array.isArray(tokens)) {
    for (const [name, kind] of Object.entries(tokens)) {
      if (kind && typeof kind.provides === 'string') providing[name] = kind.provides;
      else carried.push(name);
    }
  }
  return { carried, providing };
}

/**
 * `x-scrm-token` names a kind the root declares (a misspelt kind would otherwise pass: the value is just a name).
 * @param {any} node
 * @param {any} ctx
 * @param {{ carried: string[], providing: Record<string, string> }} kinds
 */
function reportUnknownTokenKind(node, ctx, kinds) {
  const name = node['x-scrm-token'];
  if (typeof name !== 'string' || kinds.carried.includes(name)) return;
  const provided = kinds.providing[name];
  const guess = kinds.carried.find((k) => k.startsWith(name.slice(0, 3)) || name.startsWith(k.slice(0, 3)));
  ctx.report({
    message: provided
      ? `x-scrm-token ${name} provides ${provided}; an operation names the kind it carries: ${provided}`
      : `x-scrm-token ${name} is not a token kind of x-scrm-auth or x-scrm-tokens${guess ? ` (did you mean ${guess}?)` : ''}; known: ${kinds.carried.join(', ')}`,
    location: ctx.location.child(['x-scrm-token']),
  });
}

/** @returns {Record<string, any>} */
function VocabularyRule() {
  /** @type {{ carried: string[], providing: Record<string, string> }} */
  let kinds = { carried: ['default'], providing: {} };
  return {
    any: {
      /**
       * @param {any} node
       * @param {any} ctx
       */
      enter(node, ctx) {
        if (!node || typeof node !== 'object' || Array.isArray(node)) return;
        const place = PLACES[ctx.type.name];
        if (place === 'root') kinds = tokenKinds(node);
        if (place === 'operation') reportUnknownTokenKind(node, ctx, kinds);
        for (const key of Object.keys(node)) {
          if (!key.startsWith('x-scrm-')) continue;
          if (!place) {
            const known = /** @type {import('./src/vocabulary.mjs').Place[]} */ (Object.keys(vocabulary)).filter(
              (p) => key in vocabulary[p],
            );
            ctx.report({
              message: known.length
                ? `${key} does not belong on a ${ctx.type.name}; it goes on ${known.map((p) => PLACE_NAMES[p]).join(' or ')}`
                : `${key} is not an x-scrm extension (x-scrm-* extensions belong on the root object, the info object or an operation)`,
              location: ctx.location.child([key]).key(),
            });
            continue;
          }
          if (key === 'x-scrm-required-because') reportUnrequired(node, ctx);
          const { value, location } = resolveValue(ctx, key, node[key]);
          for (const problem of checkExtension(place, key, value)) {
            const at = problem.path.length ? location.child(problem.path) : location;
            // an unknown field or extension is reported on its key; a bad value on the value
            const onKey = problem.path.length === 0 ? key in vocabulary[place] === false : /is not a field of/.test(problem.message);
            ctx.report({ message: problem.message, location: onKey ? at.key() : at });
          }
        }
      },
    },
  };
}

export default function scrmPlugin() {
  return {
    id: 'scrm',
    rules: {
      oas3: { vocabulary: VocabularyRule },
    },
  };
}
