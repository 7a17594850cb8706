// provenance.ts: x-scrm-source of every operation (tree-shaken away unless imported).
import { operationsOf, type RawSource, type Spec } from '../spec.js';
import { header, literal, type EmitContext } from './format.js';

export function emitProvenance(spec: Spec, ctx: EmitContext): string {
  const entries: Record<string, RawSource | undefined> = {};
  for (const { op } of operationsOf(spec)) entries[String(op.operationId)] = op['x-scrm-source'];
  const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
  return `${header(ctx)}export interface OperationSource {
  readonly docId?: string;
  readonly url?: string;
  readonly confidence: 'doc' | 'sdk' | 'inferred';
  readonly checkedAgainst?: readonly string[];
  readonly note?: string;
}

/** Where each operation's description comes from and how sure it is (x-scrm-source), by operationId. */
export const provenance: Readonly<Record<string, OperationSource>> = ${literal(sorted)};
`;
}
