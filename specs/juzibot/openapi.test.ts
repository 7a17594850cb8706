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
  '渠道管理',
  '客户管理',
  '标签管理',
  '部门管理',
  '员工管理',
  '托管账号管理',
  '群聊管理',
  '小组接口',
  '消息管理',
  '小组级基础接口',
  '小组级消息接口',
  '小组级群聊接口',
  '小组级群发接口',
];

describe('the spec source', () => {
  it("files its operations under exactly the vendor's chapters", () => {
    expect(Object.keys(source.chapters).sort()).toEqual([...CHAPTERS].sort());
  });
});

specConformanceSuite(spec, { vendor: 'Juzibot', operations: source.operations, chapters: source.chapters, webhooks: source.webhooks });

type Op = {
  operationId: string;
  tags: string[];
  servers?: { url: string }[];
  'x-scrm-envelope'?: unknown;
  'x-scrm-credential'?: { use: string; in?: string };
};
const ops = (prefix: RegExp) =>
  Object.entries(spec.paths as Record<string, Record<string, Op>>).flatMap(([path, item]) =>
    prefix.test(path) ? Object.values(item).filter((o): o is Op => typeof o === 'object' && o !== null && 'operationId' in o) : [],
  );

describe('Juzibot specifics', () => {
  it('puts every group-level operation on its own hosts with its own envelope and the group token', () => {
    const group = ops(/^\/(bot|contact|message|room|broadcast)\//);
    // the group-level paths are exactly the operations of the 小组级 chapters
    const chapters = ops(/./).filter((o) => o.tags[0]!.startsWith('小组级'));
    expect(group.length).toBeGreaterThan(0);
    expect(group.map((o) => o.operationId).sort()).toEqual(chapters.map((o) => o.operationId).sort());
    for (const op of group) {
      expect(
        op.servers?.map((s) => s.url),
        op.operationId,
      ).toEqual(['https://ex-api.botorange.com', 'https://aa-api.ddregion.com']);
      expect(op['x-scrm-envelope'], op.operationId).toEqual({ code: 'code', message: 'message', success: [0] });
      expect(op['x-scrm-credential']?.use, op.operationId).toBe('groupToken');
    }
    const inBody = group
      .filter((o) => o['x-scrm-credential']?.in === 'body')
      .map((o) => o.operationId)
      .sort();
    expect(inBody).toEqual(['groupMessageSend', 'groupRoomAddMember']);
  });

  it('lists the newer hub host as an alternative server', () => {
    expect(spec.servers.map((s: { url: string }) => s.url)).toEqual(['https://hub.juzibot.com', 'https://aa-hub.ddregion.com']);
  });
});

describe('required answer fields', () => {
  it('records why each required field of an answer or a callback is always there (x-scrm-required-because)', () => {
    expect(requiredEvidence(spec).missing).toEqual([]);
  });
});
