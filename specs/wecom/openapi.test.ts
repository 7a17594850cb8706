import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specConformanceSuite } from '@scrm-openapi/codegen';

const spec = JSON.parse(readFileSync(new URL('./dist/openapi.json', import.meta.url), 'utf8'));

const CHAPTERS: Record<string, number> = {
  获取access_token: 1,
  企业服务人员管理: 9,
  客户管理: 5,
  客户标签管理: 9,
  在职继承: 3,
  离职继承: 4,
  客户群管理: 3,
  '客户群「加入群聊」管理': 4,
  消息推送: 11,
  统计管理: 3,
  客户朋友圈: 14,
  客户联系规则组管理: 6,
  获客助手: 12,
  商品图册: 5,
  聊天敏感词: 5,
  上传附件资源: 1,
  ID转换与迁移: 12,
  家校沟通: 5,
  已废弃接口: 4,
};

specConformanceSuite(spec, { vendor: 'WeCom', operations: 116, chapters: CHAPTERS, webhooks: 29 });

describe('WeCom specifics', () => {
  it('uses the HTTP methods WeCom documents where a popular SDK differs', () => {
    expect(spec.paths['/cgi-bin/externalcontact/customer_acquisition_quota'].get).toBeDefined();
    expect(spec.paths['/cgi-bin/externalcontact/customer_acquisition/statistic'].post).toBeDefined();
    expect(spec.paths['/cgi-bin/externalcontact/get_moment_task_result'].get).toBeDefined();
  });

  it('describes every 客户联系 callback event as a webhook', () => {
    const keys = Object.keys(spec.webhooks);
    expect(keys).toHaveLength(29);
    for (const key of [
      'change_external_contact.add_external_contact',
      'change_external_contact.edit_external_contact',
      'change_external_contact.add_half_external_contact',
      'change_external_contact.del_external_contact',
      'change_external_contact.del_follow_user',
      'change_external_contact.transfer_fail',
      'change_external_contact.msg_audit_approved',
      'change_external_chat.create',
      'change_external_chat.update',
      'change_external_chat.dismiss',
      'change_external_tag.create',
      'change_external_tag.update',
      'change_external_tag.delete',
      'change_external_tag.shuffle',
      'customer_acquisition.message_from_customer',
    ]) {
      expect(keys).toContain(key);
    }
  });

  it('declares an error-code catalog with an action for every code', () => {
    const errors = spec['x-scrm-errors'] as { code: number; action: string }[];
    expect(errors.length).toBeGreaterThanOrEqual(120);
    expect(errors.filter((e) => e.action === 'refresh-token').map((e) => e.code).sort()).toEqual([40001, 40014, 42001]);
  });
});
