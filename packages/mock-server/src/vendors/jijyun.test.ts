// The Jijyun state handler: a contact added is the one the detail read returns; an unknown id gets the vendor's
// not-found answer (x-scrm-sandbox.notFound).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJijyunClient, unwrap } from '@scrm-openapi/jijyun';
import { loadModel } from '../spec.js';
import { startMockServer, type MockServer } from '../server.js';

let server: MockServer;
let jijyun: ReturnType<typeof createJijyunClient>;
beforeAll(async () => {
  server = await startMockServer({ vendors: ['jijyun'] });
  jijyun = createJijyunClient({ ...server.credentials.jijyun, baseUrl: `${server.url}/jijyun`, retry: false });
});
afterAll(() => server?.close());

describe('jijyun sandbox state', () => {
  it('contacts/add → contacts (detail)', async () => {
    const added = unwrap(await jijyun.POST('/v1/openapi/contacts/add', { body: { contact: { name: '合同测试', mobile: '13900000000' } } }));
    const id = (added as { Data?: string }).Data!;
    const detail = unwrap(await jijyun.GET('/v1/openapi/contacts', { params: { query: { contact_id: id } } }));
    expect((detail as { Data?: { name?: string } }).Data?.name).toBe('合同测试');
  });

  it('an unknown contact id is answered with x-scrm-sandbox.notFound', async () => {
    const { error } = await jijyun.GET('/v1/openapi/contacts', { params: { query: { contact_id: 'no-such-contact' } } });
    expect((error as { Code?: unknown }).Code).toBe(loadModel('jijyun').sandbox.notFound);
  });
});
