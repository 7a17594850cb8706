import { createServer } from 'node:http';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createWecomCallback, type WecomCallback } from '@scrm-openapi/wecom/callback';
import { startMockServer, type MockServer } from './index.js';

const servers: MockServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('sandbox callbacks', () => {
  it('sends a signed, encrypted add_external_contact callback that the SDK receiver verifies', async () => {
    const received: WecomCallback[] = [];
    let receiver: ReturnType<typeof createWecomCallback> | undefined;
    const http = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = new URL(req.url ?? '/', 'http://localhost');
      received.push(await receiver!.parse(url.searchParams, Buffer.concat(chunks)));
      res.end('success');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const address = http.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const server = await startMockServer({ vendors: ['wecom'], callbackUrl: `http://127.0.0.1:${port}/wecom/callback` });
    servers.push(server);
    receiver = createWecomCallback(server.callbacks.wecom!);

    const { externalUserId, delivered } = await server.addWecomCustomer({ userid: 'lisi', state: 'store_sh_001' });
    expect(delivered).toBe(true);
    expect(received).toHaveLength(1);
    const [event] = received;
    expect(event?.key).toBe('change_external_contact.add_external_contact');
    if (event?.key === 'change_external_contact.add_external_contact') {
      expect(event.event).toMatchObject({ UserID: 'lisi', ExternalUserID: externalUserId, State: 'store_sh_001' });
    }
    // also reachable over HTTP, for demos and other languages
    const res = await fetch(`${server.url}/_control/wecom/customers`, { method: 'POST', body: JSON.stringify({ userid: 'zhangsan' }) });
    expect((await res.json()).delivered).toBe(true);
    expect(received).toHaveLength(2);
    // the same action through act(), and an action no state module offers
    expect(await server.act('wecom', 'customers', { userid: 'lisi' })).toMatchObject({
      externalUserId: expect.stringMatching(/^wm/),
      delivered: true,
    });
    expect(received).toHaveLength(3);
    expect((await fetch(`${server.url}/_control/wecom/no-such-action`, { method: 'POST' })).status).toBe(404);
    await expect(server.act('juzibot', 'customers')).rejects.toThrow(/no sandbox action juzibot\/customers/);
    await new Promise<void>((r) => http.close(() => r()));
  }, 20_000); // compiles the WeCom spec: seconds on a shared machine running the whole suite
});

describe('scrm-mock CLI', () => {
  it('starts on a free loopback port and prints the URL and working credentials', async () => {
    const bin = fileURLToPath(new URL('../bin/scrm-mock.js', import.meta.url));
    const child = spawn(process.execPath, [bin, '--port', '0', '--vendors', 'wecom,juzibot'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (d) => {
        text += d;
        if (text.trim().endsWith('}')) {
          try {
            JSON.parse(text);
            resolve(text);
          } catch {
            /* not complete yet */
          }
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const info = JSON.parse(output);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(info.vendors)).toEqual(['wecom', 'juzibot']);
    const token = await (
      await fetch(
        `${info.vendors.wecom}/cgi-bin/gettoken?corpid=${info.credentials.wecom.corpId}&corpsecret=${info.credentials.wecom.corpSecret}`,
      )
    ).json();
    expect(token).toMatchObject({ errcode: 0, expires_in: 7200 });
    child.kill('SIGTERM');
    void execFile;
  }, 20_000); // a child process that compiles two specs, on a shared machine
});
