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
  '获取access_token',
  '企业服务人员管理',
  '客户管理',
  '客户标签管理',
  '在职继承',
  '离职继承',
  '客户群管理',
  '客户群「加入群聊」管理',
  '消息推送',
  '统计管理',
  '客户朋友圈',
  '客户联系规则组管理',
  '获客助手',
  '商品图册',
  '聊天敏感词',
  '上传附件资源',
  'ID转换与迁移',
  '家校沟通',
  '已废弃接口',
  '应用授权',
  '服务商凭证',
  '服务商代开发',
  '身份验证（第三方应用）',
  // 通讯录, member tags, apps and the HTTP part of 会话内容存档 (issue 20 part A)
  '成员管理',
  '部门管理',
  '标签管理',
  '应用管理',
  '会话内容存档',
  // issue 20 part B
  '素材管理',
  '网页授权登录',
  '发送应用消息',
  'JS-SDK',
];

/** Chapters outside 客户联系 whose calls need a token from a particular secret: each tag says which (zh + en). */
const SECRET_CHAPTERS = ['成员管理', '部门管理', '标签管理', '应用管理', '会话内容存档'];

describe('the spec source', () => {
  it("files its operations under exactly the vendor's chapters", () => {
    expect(Object.keys(source.chapters).sort()).toEqual([...CHAPTERS].sort());
  });
});

specConformanceSuite(spec, { vendor: 'WeCom', operations: source.operations, chapters: source.chapters, webhooks: source.webhooks });

describe('WeCom specifics', () => {
  it('says, on each chapter beside 客户联系, which secret its token comes from (in English and Chinese)', () => {
    for (const name of SECRET_CHAPTERS) {
      const tag = (spec.tags as { name: string; description?: string }[]).find((t) => t.name === name);
      expect(tag?.description, name).toMatch(/\*\*Which secret \/ 用哪个 secret:\*\*/);
      expect(tag?.description, name).toMatch(/secret[^\n]*[\u4e00-\u9fff]|[\u4e00-\u9fff][^\n]*secret/);
    }
  });

  it("tells readers that archived message content comes from WeCom's native library, not this SDK (zh + en)", () => {
    const tag = (spec.tags as { name: string; description?: string }[]).find((t) => t.name === '会话内容存档');
    expect(tag?.description).toMatch(/Finance SDK/);
    expect(tag?.description).toMatch(/does not wrap/);
    expect(tag?.description).toMatch(/本 SDK 不封装/);
  });

  it('declares the token every provider call carries: the suite or provider token it takes as a query parameter', () => {
    const kinds: Record<string, string> = { suite_access_token: 'suite', provider_access_token: 'provider' };
    const carried: string[] = [];
    for (const [p, item] of Object.entries<Record<string, any>>(spec.paths)) {
      for (const [method, op] of Object.entries<Record<string, any>>(item)) {
        const names = (op.parameters ?? []).map((x: { name: string }) => x.name).filter((n: string) => n in kinds);
        expect(names.length, `${method} ${p}`).toBeLessThanOrEqual(1);
        expect(op['x-scrm-token'], `${method} ${p}`).toBe(names[0] ? kinds[names[0]] : undefined);
        if (names[0]) carried.push(op.operationId);
      }
    }
    expect(carried).toEqual(
      expect.arrayContaining(['getPermanentCode', 'getCorpToken', 'getCustomizedAuthUrl', 'serviceFinishExternalUseridMigration']),
    );
    expect(Object.keys(spec['x-scrm-tokens']).sort()).toEqual(['customized-corp', 'provider', 'suite', 'suite-corp']);
    expect(spec['x-scrm-tokens']['suite-corp']).toMatchObject({ provides: 'corp', carries: 'suite', operation: 'getCorpToken' });
  });

  it('uses the HTTP methods WeCom documents where a popular SDK differs', () => {
    expect(spec.paths['/cgi-bin/externalcontact/customer_acquisition_quota'].get).toBeDefined();
    expect(spec.paths['/cgi-bin/externalcontact/customer_acquisition/statistic'].post).toBeDefined();
    expect(spec.paths['/cgi-bin/externalcontact/get_moment_task_result'].get).toBeDefined();
  });

  it('describes every 客户联系 callback event as a webhook', () => {
    const keys = Object.keys(spec.webhooks);
    expect(keys).toHaveLength(source.webhooks);
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
    expect(
      errors
        .filter((e) => e.action === 'refresh-token')
        .map((e) => e.code)
        .sort(),
    ).toEqual([40001, 40014, 42001]);
  });

  it('catalogs every code the sandbox answers with (x-scrm-sandbox), the provider token kinds included', () => {
    const known = new Set((spec['x-scrm-errors'] as { code: number }[]).map((e) => e.code));
    const CODE_KEYS = [
      'parameterError',
      'missingToken',
      'invalidToken',
      'expiredToken',
      'busy',
      'rateLimit',
      'missingCredential',
      'badCredential',
      'unknownOperation',
      'wrongMethod',
    ];
    const answered: [string, unknown][] = [];
    const walk = (node: unknown, where: string, isCode: boolean): void => {
      if (node && typeof node === 'object')
        for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`, isCode || CODE_KEYS.includes(k));
      else if (isCode) answered.push([where, node]);
    };
    walk(spec['x-scrm-sandbox'], 'x-scrm-sandbox', false);
    expect(answered.length).toBeGreaterThanOrEqual(35);
    expect(answered.filter(([, code]) => !known.has(code as number))).toEqual([]);
  });
});

describe('required answer fields', () => {
  it('records why every required response or callback field is always sent (x-scrm-required-because)', () => {
    expect(requiredEvidence(spec).missing).toEqual([]);
  });

  it('marks what each call exists to return as required', () => {
    const body = (path: string, method = 'post') => {
      const ref: string = spec.paths[path][method].responses['200'].content['application/json'].schema.$ref;
      return spec.components.schemas[ref.split('/').pop() as string];
    };
    const inline = (schema: { allOf?: Array<Record<string, unknown>> }) =>
      schema.allOf?.find((s) => !('$ref' in s)) as { required?: string[] };
    expect(inline(body('/cgi-bin/externalcontact/add_contact_way')).required).toContain('config_id');
    expect(inline(body('/cgi-bin/externalcontact/get_follow_user_list', 'get')).required).toContain('follow_user');
    expect(inline(body('/cgi-bin/externalcontact/get', 'get')).required).toEqual(
      expect.arrayContaining(['external_contact', 'follow_user']),
    );
    expect(spec.components.schemas.ExternalContact.required).toContain('external_userid');
  });
});
