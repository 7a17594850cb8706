import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specConformanceSuite } from '@scrm-openapi/codegen';

const spec = JSON.parse(readFileSync(new URL('./dist/openapi.json', import.meta.url), 'utf8'));

specConformanceSuite(spec, {
  vendor: 'Juzibot',
  operations: 50,
  chapters: {
    渠道管理: 4,
    客户管理: 5,
    标签管理: 3,
    部门管理: 3,
    员工管理: 2,
    托管账号管理: 8,
    群聊管理: 6,
    小组接口: 5,
    消息管理: 2,
    小组级基础接口: 2,
    小组级消息接口: 1,
    小组级群聊接口: 2,
    小组级群发接口: 7,
  },
  webhooks: 6,
});

type Op = { operationId: string; servers?: { url: string }[]; 'x-scrm-envelope'?: unknown; 'x-scrm-credential'?: { use: string; in?: string } };
const ops = (prefix: RegExp) =>
  Object.entries(spec.paths as Record<string, Record<string, Op>>).flatMap(([path, item]) =>
    prefix.test(path) ? Object.values(item).filter((o): o is Op => typeof o === 'object' && o !== null && 'operationId' in o) : [],
  );

describe('Juzibot specifics', () => {
  it('puts every group-level operation on its own hosts with its own envelope and the group token', () => {
    const group = ops(/^\/(bot|contact|message|room|broadcast)\//);
    expect(group).toHaveLength(12);
    for (const op of group) {
      expect(op.servers?.map((s) => s.url), op.operationId).toEqual(['https://ex-api.botorange.com', 'https://aa-api.ddregion.com']);
      expect(op['x-scrm-envelope'], op.operationId).toEqual({ code: 'code', message: 'message', success: [0] });
      expect(op['x-scrm-credential']?.use, op.operationId).toBe('groupToken');
    }
    const inBody = group.filter((o) => o['x-scrm-credential']?.in === 'body').map((o) => o.operationId).sort();
    expect(inBody).toEqual(['groupMessageSend', 'groupRoomAddMember']);
  });

  it('lists the newer hub host as an alternative server', () => {
    expect(spec.servers.map((s: { url: string }) => s.url)).toEqual(['https://hub.juzibot.com', 'https://aa-hub.ddregion.com']);
  });
});
