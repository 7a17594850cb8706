// Browser test of the demo (Playwright driving Debian's Chromium): each of (a)–(d) through the UI, against the
// sandbox; screenshots saved to test-results/screenshots/.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { startMockServer } from '@scrm-openapi/mock-server';
import { startDemo } from './server.mjs';

const SHOTS = 'test-results/screenshots';
let sandbox;
let demo;
let browser;
let page;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const demoPort = await freePort();
  sandbox = await startMockServer({
    callbackUrl: `http://127.0.0.1:${demoPort}/wecom/callback`,
    callbackUrls: { suite: `http://127.0.0.1:${demoPort}/wecom/suite-callback` },
  });
  demo = await startDemo({ port: demoPort, sandbox, env: {} });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(demo.url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.getElementById('mode')?.textContent?.includes('wecom: sandbox'));
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await sandbox?.close();
});

describe('demo', () => {
  it('(a) creates a 「联系我」 QR code through WeCom, renders it and lists it with pagination', async () => {
    await page.fill('#qr-remark', '浏览器测试门店码');
    await page.click('#qr-create');
    const img = page.locator('#qr-image');
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const configId = await page.locator('#qr-config').textContent();
    await expect.poll(() => page.locator('#ways-page').textContent()).toMatch(/on this page/);
    // walk the pages until the new config shows up
    for (let i = 0; i < 10 && !(await page.locator('#ways').textContent()).includes(configId); i++) {
      if (await page.locator('#ways-next').isDisabled()) break;
      await page.click('#ways-next');
      await page.waitForTimeout(150);
    }
    expect(await page.locator('#ways').textContent()).toContain(configId);
    await page.screenshot({ path: `${SHOTS}/a-contact-way.png` });
  });

  it('(a) creates one through Juzibot as well', async () => {
    await page.selectOption('#qr-vendor', 'juzibot');
    await page.click('#qr-create');
    await expect.poll(() => page.locator('#qr-config').textContent()).toMatch(/^[0-9a-z]{32}$/);
    await page.selectOption('#qr-vendor', 'wecom');
  });

  it('(b) looks contacts up in Weiling (batch detail) and Jijyun', async () => {
    await page.click('#weiling-go');
    await expect.poll(() => page.locator('#weiling-result').textContent()).toContain('王晓明');
    await page.click('#jijyun-go');
    await expect.poll(() => page.locator('#jijyun-result').textContent()).toContain('访客290');
    await page.screenshot({ path: `${SHOTS}/b-lookups.png` });
  });

  it('(c) shows a WeCom callback: the sandbox adds a customer, the demo verifies and decrypts it', async () => {
    await page.click('#add-customer');
    await expect.poll(() => page.locator('#callback-feed .callback').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const text = await page.locator('#callback-feed .callback').first().textContent();
    expect(text).toContain('change_external_contact.add_external_contact');
    expect(text).toContain('ExternalUserID');
    await page.screenshot({ path: `${SHOTS}/c-callbacks.png` });
  });

  it('(d) injects faults and shows the retries, the token refresh and the typed errors', async () => {
    await page.selectOption('#fault-kind', 'token-expired');
    await page.click('#fault-run');
    await expect.poll(() => page.locator('#client-log').textContent(), { timeout: 10_000 }).toMatch(/token-refresh/);
    await expect.poll(() => page.locator('#client-log').textContent()).toMatch(/result: .*zhangsan/);

    await page.selectOption('#fault-kind', 'busy');
    await page.click('#fault-run');
    await expect.poll(() => page.locator('#client-log .ev-retry').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.selectOption('#fault-kind', 'html');
    await page.fill('#fault-count', '5');
    await page.click('#fault-run');
    await expect.poll(() => page.locator('#client-log').textContent(), { timeout: 15_000 }).toMatch(/typed error: .*ScrmParseError/);
    await page.screenshot({ path: `${SHOTS}/d-faults.png` });
  });
  it('(e) 服务商: installs the sandbox app into two corps and calls each with its own token', async () => {
    const providers = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await providers.goto(`${demo.url}/providers`, { waitUntil: 'load' });
      await providers.click('#install-two');
      await expect.poll(() => providers.locator('.corp-customers').count(), { timeout: 15_000 }).toBe(2);
      expect(await providers.locator('tr.corp').count()).toBe(2);
      expect(await providers.locator('#corps').textContent()).toContain('代开发');
      // the create_auth notices arrived on the instruction callback URL, decrypted with the suite's configuration
      await expect.poll(() => providers.locator('#notice-feed .notice').count(), { timeout: 5000 }).toBeGreaterThanOrEqual(2);
      expect(await providers.locator('#notice-feed').textContent()).toContain('suite.create_auth');
      // each corp shows customers, and none of one corp's customers appear in the other's
      const [first, second] = await Promise.all(
        [0, 1].map((i) => providers.locator('.corp-customers').nth(i).locator('.customer-id').allTextContents()),
      );
      expect(first.length).toBeGreaterThan(0);
      expect(second.length).toBeGreaterThan(0);
      expect(first.filter((id) => second.includes(id))).toEqual([]);
      await providers.screenshot({ path: `${SHOTS}/e-providers.png` });
    } finally {
      await providers.close();
    }
  });
});
