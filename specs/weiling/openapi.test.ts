import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specConformanceSuite } from '@scrm-openapi/codegen';

const spec = JSON.parse(readFileSync(new URL('./dist/openapi.json', import.meta.url), 'utf8'));

specConformanceSuite(spec, {
  vendor: 'Weiling',
  operations: 79,
  chapters: {
    获取访问凭据: 1,
    通讯录管理: 5,
    企微好友管理: 6,
    线索管理: 7,
    企业管理: 11,
    智能码: 1,
    三方ID转换: 3,
    跟进记录: 5,
    旅程动态: 3,
    商机: 12,
    资料库: 3,
    标签管理: 5,
    营销组件: 3,
    群相关: 1,
    自定义字段: 2,
    外呼相关: 1,
    个微人脉管理: 2,
    联系人: 8,
  },
  webhooks: 23,
});

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
