/**
 * How the sandbox reads and checks a request, like the vendors: a JSON body is checked as it was sent (no type
 * coercion: `"1"` is not an integer, `null` is not a string, `"false"` is not a boolean), while a query or path
 * parameter, which arrives as text, is read as its declared type only when the text is that type's canonical literal
 * (`12`, `-3`, `1.5`, `true`, `false`). A parameter given twice is read as its first value, unless it is declared an
 * array. `lenient` is the old behaviour (ajv's type coercion everywhere), for clients that rely on it.
 */
export type ValidationMode = 'strict' | 'lenient';

type Json = Record<string, any>;

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** The declared types of a schema (`type: integer`, `type: [integer, null]`); empty when it declares none. */
function typesOf(schema: Json | undefined): string[] {
  const type = schema?.type;
  return typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

/** A text value read as one of the declared types, when it is that type's canonical literal; the text otherwise. */
export function readParameter(value: string, types: readonly string[]): unknown {
  if (types.includes('string') || types.length === 0) return value;
  if (types.includes('integer') && INTEGER.test(value)) return Number(value);
  if (types.includes('number') && NUMBER.test(value)) return Number(value);
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.includes('null') && value === 'null') return null;
  return value;
}

/**
 * For the parameters of one place (query or path), with their resolved schemas: a function that returns the values
 * read as the vendor reads them (a new object; parameters not declared are left as they came).
 */
export function parameterReader(params: readonly { name: string; schema?: Json }[]): (values: Json) => Json {
  const declared = new Map(params.map((p) => [p.name, typesOf(p.schema)]));
  return (values) => {
    const out: Json = {};
    for (const [name, raw] of Object.entries(values)) {
      const types = declared.get(name);
      if (!types) {
        out[name] = raw;
        continue;
      }
      let value = raw;
      if (Array.isArray(value) && !types.includes('array')) value = value[0];
      out[name] = typeof value === 'string' ? readParameter(value, types) : value;
    }
    return out;
  };
}
