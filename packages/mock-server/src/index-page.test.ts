// The sandbox's front page: GET / lists every served vendor with its base URL and working credentials (简体中文 first,
// English at ?lang=en, JSON when asked for), and links to the docs and the demo it is given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './index.js';

let sandbox: MockServer;
beforeAll(async () => {
  sandbox = await startMockServer({ links: { docs: 'http://127.0.0.1:4020', demo: 'http://127.0.0.1:4000' } });
});
afterAll(() => sandbox.close());

const get = async (path: string, accept = 'text/html') => {
  const res = await fetch(`${sandbox.url}${path}`, { headers: { accept } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};

describe('GET / on the sandbox', () => {
  it('is a page in Simplified Chinese listing each vendor, its base URL and its working credentials', async () => {
    const { status, type, text } = await get('/');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    expect(text).toContain('<html lang="zh-CN">');
    expect(text).toContain('可用凭证');
    for (const [vendor, creds] of Object.entries(sandbox.credentials)) {
      expect(text).toContain(`${sandbox.url}/${vendor}`);
      for (const value of Object.values(creds as Record<string, string>)) expect(text).toContain(value);
    }
    expect(text).toContain('企业微信 WeCom');
    expect(text).toContain('href="http://127.0.0.1:4020/index.html"');
    expect(text).toContain('href="http://127.0.0.1:4000"');
    expect(text).toContain('href="?lang=en"');
  });

  it('has an English twin at ?lang=en, one click away, linking the English docs', async () => {
    const zh = await get('/');
    const en = await get('/?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Working credentials');
    expect(en.text).toContain('href="http://127.0.0.1:4020/en/index.html"');
    expect(en.text).toContain('href="?lang=zh"');
    // the same sections and the same code
    const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;
    for (const re of [/<h2>/g, /<section /g, /<pre>/g, /<li>/g]) expect(count(en.text, re)).toBe(count(zh.text, re));
    const code = (s: string) => [...s.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)].map((m) => m[1]!.replace(/^\/\/ .*\n/, ''));
    expect(code(en.text)).toEqual(code(zh.text));
  });

  it('answers JSON to a client that asks for it', async () => {
    const { status, text } = await get('/', 'application/json');
    expect(status).toBe(200);
    const body = JSON.parse(text);
    expect(body.vendors.map((v: { name: string }) => v.name)).toEqual(Object.keys(sandbox.credentials));
    expect(body.vendors[0]).toMatchObject({ baseUrl: `${sandbox.url}/${body.vendors[0].name}`, credentials: expect.any(Object) });
    expect(body.links.docs).toBe('http://127.0.0.1:4020');
  });

  it('without links, says how to get the docs instead of linking nowhere', async () => {
    const bare = await startMockServer({ vendors: ['wecom'] });
    try {
      const text = await (await fetch(`${bare.url}/`)).text();
      expect(text).toContain('npm start');
      expect(text).not.toContain('id="docs-link"');
    } finally {
      await bare.close();
    }
  });
});
