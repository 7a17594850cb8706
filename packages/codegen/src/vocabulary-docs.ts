// Renders the x-scrm vocabulary (vocabulary.schema.json) as Markdown for specs/README.md, between markers, so the
// documentation cannot drift from the definition: `scrm-codegen docs` rewrites the section (turbo's generate runs
// it) and vocabulary-docs.test.ts fails when the committed README differs.
import { readFile, writeFile } from 'node:fs/promises';
import { vocabularySchema } from './vocabulary.mjs';

type Schema = Record<string, any>;

export const START =
  '<!-- x-scrm-vocabulary:start — generated from packages/codegen/src/vocabulary.schema.json by `npm run generate`; do not edit by hand -->';
export const END = '<!-- x-scrm-vocabulary:end -->';

const PLACES = [
  ['root', 'On the root object'],
  ['info', 'On the info object'],
  ['operation', 'On an operation (under `paths` or `webhooks`)'],
  ['schema', 'On a schema object'],
] as const;

function deref(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; typeof s.$ref === 'string' && i < 10; i++) {
    const target = s.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((acc: any, k: string) => acc?.[k], vocabularySchema) as Schema;
    // a $ref beside its own description: the local description wins
    s = { ...target, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
  }
  return s;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeOf(input: Schema): string {
  const s = deref(input);
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v: unknown) => `\`${JSON.stringify(v)}\``).join(' | ');
  if (s.oneOf) return s.oneOf.map((o: Schema) => typeOf(o)).join(' or ');
  if (s.type === 'array') return `list of ${typeOf(s.items ?? {})}`;
  if (s.type === 'object') {
    if (s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`;
    const only = Object.keys(s.properties ?? {});
    if (!s.allOf && only.length === 1 && s.required?.length === 1) return `{${only[0]}: ${typeOf(s.properties[only[0] as string])}}`;
    return 'object';
  }
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return types.join(' or ') || 'any';
}

interface Field {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/** The fields of an object schema, nested ones dotted, conditional ones (if/then) named with their condition. */
function fieldsOf(input: Schema, prefix = ''): Field[] {
  const s = deref(input);
  const out: Field[] = [];
  const required = new Set<string>(s.required ?? []);
  for (const [name, raw] of Object.entries<Schema | boolean>(s.properties ?? {})) {
    if (typeof raw === 'boolean') continue;
    const prop = deref(raw);
    const full = `${prefix}${name}`;
    out.push({ name: full, type: typeOf(raw), required: required.has(name), description: prop.description ?? '' });
    const item = prop.type === 'array' ? deref(prop.items ?? {}) : undefined;
    if (prop.type === 'object' && prop.properties && typeOf(raw) === 'object') out.push(...fieldsOf(prop, `${full}.`));
    else if (item?.type === 'object' && item.properties) out.push(...fieldsOf(item, `${full}[].`));
  }
  // if/then branches (one per `style` or `type`): a field every branch has is listed once, plainly; a field only
  // some branches have is marked with their condition
  const branches = (s.allOf ?? []).filter((part: Schema) => part.if && part.then) as Schema[];
  const seen = new Set(out.map((f) => f.name));
  const conditional = new Map<string, { field: Field; when: string[] }>();
  for (const part of branches) {
    const [[key, cond]] = Object.entries<Schema>(part.if.properties) as [[string, Schema]];
    for (const f of fieldsOf(part.then, prefix)) {
      if (seen.has(f.name)) continue;
      const entry = conditional.get(f.name) ?? { field: f, when: [] };
      entry.when.push(`${key} \`${cond.const}\``);
      conditional.set(f.name, entry);
    }
  }
  for (const { field: f, when } of conditional.values()) {
    const field = { ...f, required: f.required || required.has(f.name.slice(prefix.length)) };
    out.push(when.length === branches.length ? field : { ...field, description: `(${when.join(', ')}) ${field.description}` });
  }
  return out;
}

function renderExtension(key: string, raw: Schema): string {
  const s = deref(raw);
  const lines = [`#### \`${key}\``, '', `${s.description ?? ''}`, '', `Value: ${typeOf(raw)}.`];
  const item = s.type === 'array' ? deref(s.items ?? {}) : undefined;
  // a map of objects (x-scrm-tokens): the fields of each value, under `<name>.`
  const value =
    s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' ? deref(s.additionalProperties) : undefined;
  const fields =
    s.type === 'object' && !s.additionalProperties
      ? fieldsOf(s)
      : item?.type === 'object'
        ? fieldsOf(item, '[].')
        : value?.type === 'object' && value.properties
          ? fieldsOf(value, '<name>.')
          : [];
  if (s.oneOf) {
    for (const alt of s.oneOf) if (deref(alt).type === 'object') fields.push(...fieldsOf(alt));
  }
  if (fields.length) {
    lines.push('', '| field | type | required | description |', '| --- | --- | --- | --- |');
    for (const f of fields) lines.push(`| \`${f.name}\` | ${cell(f.type)} | ${f.required ? 'yes' : ''} | ${cell(f.description)} |`);
  }
  return lines.join('\n');
}

/** The generated Markdown section, markers included. */
export function renderVocabularyDocs(): string {
  const parts: string[] = [START, '', vocabularySchema.description as string];
  for (const [place, title] of PLACES) {
    const def = vocabularySchema.$defs[place] as Schema;
    const required: string[] = def.required ?? [];
    parts.push('', `### ${title}`, '', def.description as string);
    if (required.length) parts.push('', `Required: ${required.map((r) => `\`${r}\``).join(', ')}.`);
    for (const [key, schema] of Object.entries<Schema>(def.properties)) parts.push('', renderExtension(key, schema));
  }
  parts.push('', END);
  return parts.join('\n');
}

/** Replaces the section between the markers in `markdown` (appends it when there are none). */
export function replaceVocabularySection(markdown: string): string {
  const section = renderVocabularyDocs();
  const start = markdown.indexOf(START.slice(0, START.indexOf(' ')));
  const end = markdown.indexOf(END);
  if (start === -1 || end === -1) return `${markdown.replace(/\n*$/, '\n\n')}${section}\n`;
  return `${markdown.slice(0, start)}${section}${markdown.slice(end + END.length)}`;
}

/** Rewrites the generated section of a README; returns whether it changed. */
export async function updateVocabularySection(readmePath: string): Promise<boolean> {
  const before = await readFile(readmePath, 'utf8');
  const after = replaceVocabularySection(before);
  if (after !== before) await writeFile(readmePath, after);
  return after !== before;
}
