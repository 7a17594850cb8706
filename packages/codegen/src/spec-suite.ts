// The generic conformance suite every vendor spec runs (specs/<vendor>/openapi.test.ts): operation count and
// chapters, unique operationIds, provenance on every operation and webhook, deprecated operations naming a current
// successor, and every example validating against its schema.
import { describe, expect, it } from 'vitest';
import { checkOperationExamples, collectOperations, createSpecValidator } from './check-examples.js';
import { HTTP_METHODS as METHODS, type JsonNode } from './spec.js';

export interface ConformanceExpectations {
  vendor: string;
  operations: number;
  chapters: Record<string, number>;
  webhooks?: number;
}

/** Registers the conformance tests of one bundled spec (call it at the top level of a vitest file). */
export function specConformanceSuite(spec: JsonNode, expected: ConformanceExpectations): void {
  const opsOf = (items: Record<string, any> | undefined): any[] =>
    Object.values(items ?? {}).flatMap((item) => METHODS.flatMap((m) => (item[m] ? [item[m]] : [])));
  const pathOps = opsOf(spec.paths);
  const webhookOps = opsOf(spec.webhooks);
  const operations = collectOperations(spec);
  const validator = createSpecValidator(spec);

  describe(`bundled ${expected.vendor} spec`, () => {
    it(`has ${expected.operations} operations in the expected chapters, with unique operationIds`, () => {
      expect(pathOps).toHaveLength(expected.operations);
      const ids = [...pathOps, ...webhookOps].map((o) => o.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      const byChapter: Record<string, number> = {};
      for (const op of pathOps) byChapter[op.tags[0]] = (byChapter[op.tags[0]] ?? 0) + 1;
      expect(byChapter).toEqual(expected.chapters);
      if (expected.webhooks !== undefined) expect(webhookOps).toHaveLength(expected.webhooks);
    });

    it('records provenance (a source and a confidence) on every operation and webhook', () => {
      for (const op of [...pathOps, ...webhookOps]) {
        const source = op['x-scrm-source'] ?? {};
        expect(['doc', 'sdk', 'inferred'], op.operationId).toContain(source.confidence);
        expect(source.docId ?? source.url, op.operationId).toBeTruthy();
      }
    });

    it('names a current successor (or says there is none) in every deprecated operation', () => {
      const current = new Set(pathOps.filter((o) => !o.deprecated).map((o) => o.operationId));
      for (const op of pathOps.filter((o) => o.deprecated)) {
        const named = [...(op.description ?? '').matchAll(/`([a-z][A-Za-z0-9]*)`/g)].map((m) => m[1]);
        const says = named.some((id) => current.has(id)) || /no successor/i.test(op.description ?? '');
        expect(says, `${op.operationId} names a current successor or says there is none`).toBe(true);
      }
    });

    it.each(operations.map((o) => [o.where, o]))('%s: every example validates against its schema', (_where, operation) => {
      expect(operation.checks.length).toBeGreaterThan(0);
      expect(checkOperationExamples(spec, operation, validator)).toEqual([]);
    });
  });
}
