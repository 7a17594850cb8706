import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specConformanceSuite } from '@scrm-openapi/codegen';
import { requiredEvidence } from '../../scripts/required-evidence.mjs';
import { specInventory } from '../../scripts/spec-inventory.mjs';

const spec = JSON.parse(readFileSync(new URL('./dist/openapi.json', import.meta.url), 'utf8'));
// the counts the bundle must have: what the split layout holds on disk (paths/**, webhooks/**)
const source = specInventory(new URL('.', import.meta.url));

// the vendor's doc chapters that hold operations; how many each holds comes from the source files
const CHAPTERS = ['AI助手API', '外部联系人API', '知识库', '通用功能API', '聚合对话', 'AI外呼', '企业微信代运营/托管'];

describe('the spec source', () => {
  it("files its operations under exactly the vendor's chapters", () => {
    expect(Object.keys(source.chapters).sort()).toEqual([...CHAPTERS].sort());
  });
});

specConformanceSuite(spec, { vendor: 'Jijyun', operations: source.operations, chapters: source.chapters, webhooks: source.webhooks });

type Op = {
  operationId: string;
  'x-scrm-envelope'?: unknown;
  'x-scrm-credential'?: { use: string; fallback?: string };
  responses: Record<string, unknown>;
};
const all: [string, Op][] = Object.entries(spec.paths as Record<string, Record<string, Op>>).flatMap(([path, item]) =>
  Object.values(item)
    .filter((o): o is Op => typeof o === 'object' && o !== null && 'operationId' in o)
    .map((o) => [path, o] as [string, Op]),
);

describe('Jijyun specifics', () => {
  it('sends the AI-marketing family with its own key, falling back to the assistant key', () => {
    const marketing = all.filter(([path]) => path.startsWith('/v1/api/ai/'));
    expect(marketing.length).toBeGreaterThan(0);
    // exactly that family: no other operation picks a credential of its own
    expect(all.filter(([, op]) => op['x-scrm-credential']).map(([, op]) => op.operationId)).toEqual(
      marketing.map(([, op]) => op.operationId),
    );
    for (const [, op] of marketing) expect(op['x-scrm-credential'], op.operationId).toEqual({ use: 'marketingApiKey', fallback: 'apiKey' });
  });

  it('documents 401 and 402 on every operation', () => {
    for (const [, op] of all) {
      expect(op.responses['401'], op.operationId).toBeDefined();
      expect(op.responses['402'], op.operationId).toBeDefined();
    }
  });

  it('marks the answers outside the {Code, Data, Msg} envelope', () => {
    const none = all
      .filter(([, op]) => op['x-scrm-envelope'] === 'none')
      .map(([, op]) => op.operationId)
      .sort();
    expect(none).toEqual(expect.arrayContaining(['chat', 'check', 'exposedExecute', 'exposedExecuteV2']));
  });

  it('declares which Code values are success, and the documented HTTP statuses', () => {
    expect(spec['x-scrm-envelope']).toEqual({ code: 'Code', message: 'Msg', success: [2000, 0] });
    expect(spec['x-scrm-http-errors'].map((e: { status: number; action: string }) => `${e.status}:${e.action}`)).toEqual([
      '401:fail',
      '402:fail',
      '429:throttle',
    ]);
  });
});

describe('required answer fields', () => {
  it('records why each required field of an answer or a callback is always there (x-scrm-required-because)', () => {
    expect(requiredEvidence(spec).missing).toEqual([]);
  });
});
