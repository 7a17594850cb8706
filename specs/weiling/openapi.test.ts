import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specConformanceSuite } from '@scrm-openapi/codegen';
import { requiredEvidence } from '../../scripts/required-evidence.mjs';
import { specInventory } from '../../scripts/spec-inventory.mjs';

const spec = JSON.parse(readFileSync(new URL('./dist/openapi.json', import.meta.url), 'utf8'));
// the counts the bundle must have: what the split layout holds on disk (paths/**, webhooks/**)
const source = specInventory(new URL('.', import.meta.url));

// the vendor's doc chapters that hold operations; how many each holds comes from the source files
const CHAPTERS = [
  '获取访问凭据',
  '通讯录管理',
  '企微好友管理',
  '线索管理',
  '企业管理',
  '智能码',
  '三方ID转换',
  '跟进记录',
  '旅程动态',
  '商机',
  '资料库',
  '标签管理',
  '营销组件',
  '群相关',
  '自定义字段',
  '外呼相关',
  '个微人脉管理',
  '联系人',
];

describe('the spec source', () => {
  it("files its operations under exactly the vendor's chapters", () => {
    expect(Object.keys(source.chapters).sort()).toEqual([...CHAPTERS].sort());
  });
});

specConformanceSuite(spec, { vendor: 'Weiling', operations: source.operations, chapters: source.chapters, webhooks: source.webhooks });

describe('Weiling specifics', () => {
  it('keeps all twenty chapters, listing unknown paths as gaps instead of inventing them', () => {
    const tags = spec.tags as { name: string; description: string }[];
    expect(tags.filter((t) => t.name !== '事件回调')).toHaveLength(20);
    for (const name of ['消息推送', '活动管理']) {
      expect(tags.find((t) => t.name === name)?.description).toMatch(/Known gap/);
    }
  });

  it('types code as integer or string, and partial failures per item', () => {
    expect(spec.components.schemas.WeilingEnvelope.properties.code.type).toEqual(['integer', 'string']);
    const fail = spec.components.schemas.WeilingFailItem.properties;
    expect(Object.keys(fail)).toEqual(expect.arrayContaining(['error_code', 'error_msg']));
  });

  it('caps id batches at 100 (contact/batch)', () => {
    const body = spec.components.schemas.ContactBatchRequest.properties.contact_ids;
    expect(body.maxItems).toBe(100);
  });

  it('does not close contact_ways[].type, whose production values exceed the documented ones', () => {
    expect(JSON.stringify(spec.components.schemas.ContactWay)).not.toContain('"enum"');
  });
});

describe('required answer fields', () => {
  it('records why each required field of an answer or a callback is always there (x-scrm-required-because)', () => {
    expect(requiredEvidence(spec).missing).toEqual([]);
  });
});
