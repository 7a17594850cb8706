// callbacks.ts: what a callback parser needs to know about the webhook payloads, and the event types.
import { propertiesOf, type JsonNode, type Spec } from '../spec.js';
import { header, literal, pascal, q, type EmitContext } from './format.js';

export interface CallbackFields {
  /** Payload fields that are integers (XML carries every value as text). */
  integers: string[];
  /** Payload fields that repeat an element: field → element name. */
  lists: Record<string, string>;
  /** Each webhook: its key, operationId and the constants that discriminate it. */
  events: { key: string; operationId: string; match: Record<string, unknown> }[];
}

export function buildCallbackFields(spec: Spec): CallbackFields {
  const integers = new Set<string>();
  const lists: Record<string, string> = {};
  const events: CallbackFields['events'] = [];
  for (const [key, item] of Object.entries(spec.webhooks ?? {})) {
    const op = item?.post;
    const media = (op?.requestBody?.content ?? {}) as Record<string, JsonNode>;
    for (const content of Object.values(media)) {
      const consts: Record<string, unknown> = {};
      for (const [name, prop0, always] of propertiesOf(spec, content.schema)) {
        const prop = prop0.$ref ? ([...propertiesOf(spec, { allOf: [prop0] })][0]?.[1] ?? prop0) : prop0;
        const type: unknown[] = Array.isArray(prop.type) ? prop.type : [prop.type];
        if (type.includes('integer')) integers.add(name);
        if (type.includes('array') && prop.items?.xml?.name) lists[name] = prop.items.xml.name;
        // a constant of one branch does not tell the event apart: not every payload of it has that branch
        if (prop.const !== undefined && always) consts[name] = prop.const;
      }
      events.push({ key, operationId: op?.operationId as string, match: consts });
    }
  }
  return {
    integers: [...integers].sort(),
    lists: Object.fromEntries(Object.entries(lists).sort(([a], [b]) => a.localeCompare(b))),
    events: events.sort((a, b) => a.key.localeCompare(b.key)),
  };
}

export function emitCallbacks(spec: Spec, ctx: EmitContext): string {
  const { vendor } = ctx;
  const Name = pascal(vendor);
  const fields = buildCallbackFields(spec);
  const keys = fields.events.map((e) => q(e.key));
  return `${header(ctx)}import type { webhooks } from './webhooks.js';

/** How to read decrypted ${vendor} callback payloads: which fields are integers, which repeat an element, and the discriminating constants of each event. */
export const callbackFields = ${literal(fields)} as const;

/** The key of every documented ${vendor} callback event (\`<Event>.<ChangeType>\`). */
export type ${Name}CallbackKey = ${keys.length ? keys.join(' | ') : 'never'};

type Payload<K extends keyof webhooks> = webhooks[K] extends { post: { requestBody?: { content: infer C } } } ? C[keyof C] : never;

/** A decrypted ${vendor} callback, discriminated by its \`Event\` and \`ChangeType\`. */
export type ${Name}CallbackEvent = ${keys.length ? `{ [K in ${Name}CallbackKey]: Payload<K> }[${Name}CallbackKey]` : 'never'};
`;
}
