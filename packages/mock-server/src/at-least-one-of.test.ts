// "Give at least one of these query parameters" (x-scrm-at-least-one-of): OpenAPI declares each parameter optional,
// so the request validator alone lets a call with none of them through; the sandbox answers it with the vendor's
// parameter error, as the vendor does. Juzibot's customer/detail takes unionId or externalUserId.
import { createJuzibotClient } from '@scrm-openapi/juzibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './server.js';
import { loadSpec } from './spec.js';

let server: MockServer;
let juzibot: ReturnType<typeof createJuzibotClient>;
const parameterError = loadSpec('juzibot')['x-scrm-sandbox'].parameterError;

beforeAll(async () => {
  server = await startMockServer();
  juzibot = createJuzibotClient({ ...(server.credentials.juzibot as { token: string }), baseUrl: `${server.url}/juzibot` });
});
afterAll(() => server?.close());

describe('x-scrm-at-least-one-of in the sandbox: Juzibot customer/detail', () => {
  it('answers the parameter error when neither unionId nor externalUserId is given', async () => {
    const { data, error } = await juzibot.GET('/api/v1/customer/detail', {});
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ errcode: parameterError });
    expect(String((error as { errmsg?: unknown }).errmsg)).toContain('at least one of unionId, externalUserId');
  });

  it('counts an empty value as not given', async () => {
    const { error } = await juzibot.GET('/api/v1/customer/detail', { params: { query: { unionId: '' } } });
    expect(error).toMatchObject({ errcode: parameterError });
  });

  it.each([
    ['unionId', { unionId: 'ozynqsulJFCZ2z1aYeS8h-nuasdAAA' }],
    ['externalUserId', { externalUserId: 'wmJ2GCAAAAXtWyujaWJHDDGi0mACAAAA' }],
    ['both', { unionId: 'ozynqsulJFCZ2z1aYeS8h-nuasdAAA', externalUserId: 'wmJ2GCAAAAXtWyujaWJHDDGi0mACAAAA' }],
  ])('answers the customer when given %s', async (_name, query) => {
    const { data, error } = await juzibot.GET('/api/v1/customer/detail', { params: { query } });
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ errcode: 0, data: { unionId: expect.any(String) } });
  });
});
