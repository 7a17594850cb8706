// An operation without state (no handler, no paging) answers with its spec's success example, as sent once at
// start-up: the example's text every time, a non-idempotent call counted as applied, and a `reset-after` fault still
// applied with the answer lost. The operation is the first such WeCom write with a request example in the spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from './random.js';
import { startMockServer, type MockServer } from './server.js';
import { loadModel, loadSpec } from './spec.js';
import { wecom } from './vendors/wecom.js';

type Json = Record<string, any>;
const spec = loadSpec('wecom');
const profile = loadModel('wecom').profile;
const handled = new Set(Object.keys(wecom.create(createRandom(1), {}).handlers));
const media = (content: Json | undefined) => content?.['application/json'] as Json | undefined;
const exampleOf = (m: Json | undefined) => m?.example ?? (Object.values(m?.examples ?? {})[0] as Json | undefined)?.value;

const [path, id, body, example] = Object.entries(spec.paths as Json)
  .map(([p, item]) => {
    const op = (item as Json).post;
    const meta = profile.operations[`POST ${p}`];
    if (!op || !meta || meta.idempotent || meta.pagination || handled.has(meta.id)) return undefined;
    const request = exampleOf(media(op.requestBody?.content));
    const answer = exampleOf(media(op.responses?.['200']?.content));
    return request && answer ? ([p, meta.id, request, answer] as const) : undefined;
  })
  .find((x) => x !== undefined)!;

let server: MockServer;
let url: string;
beforeAll(async () => {
  server = await startMockServer({ vendors: ['wecom'] });
  const { corpId, corpSecret } = server.credentials.wecom;
  const token = (await (await fetch(`${server.url}/wecom/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${corpSecret}`)).json()) as Json;
  url = `${server.url}/wecom${path}?access_token=${token.access_token}`;
});
afterAll(() => server?.close());

const post = (headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const applied = () => server.stats().applied[`wecom.${id}`] ?? 0;

describe(`an operation without state answers with its example (${id})`, () => {
  it('the example as JSON, the same text each time, each call applied', async () => {
    const before = applied();
    const first = await post();
    const text = await first.text();
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(text)).toEqual(example);
    expect(await (await post()).text()).toBe(text);
    expect(applied()).toBe(before + 2);
  });

  it('a reset-after fault applies the call and loses the answer', async () => {
    const before = applied();
    await expect(post({ 'x-scrm-mock-fault': 'reset-after' })).rejects.toThrow();
    expect(applied()).toBe(before + 1);
  });
});
