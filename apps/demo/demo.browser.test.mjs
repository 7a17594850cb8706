// Browser test of the demo (Playwright driving Debian's Chromium): each of (a)–(d) through the UI, against the
// sandbox, then the page at 390 × 844 and 1400 × 900 in both languages (no horizontal scrolling, no console errors);
// screenshots saved to test-results/screenshots/.
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
    await expect.poll(() => page.locator('#ways-page').textContent()).toMatch(/本页 \d+ 条/);
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

  it('resolves the WeCom follow users to member names and departments (通讯录)', async () => {
    await page.click('#members-load');
    await expect.poll(() => page.locator('#members').textContent()).toContain('张三');
    const row = await page.locator('#members tr', { hasText: 'zhangsan' }).textContent();
    expect(row).toContain('张三');
    expect(row).toContain('销售部');
    await page.screenshot({ path: `${SHOTS}/a-follow-members.png` });
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

  it('(d) counts faults per call: each attempt, the token refresh and the outcome once, nothing left for the next run', async () => {
    const lastRun = () => page.locator('#runs .run').first();
    const runs = () => page.locator('#runs .run').count();

    // token expired on the first attempt: one refresh, one retry, success
    await page.selectOption('#fault-kind', 'token-expired');
    await page.selectOption('#fault-count', '1');
    await page.click('#fault-run');
    await expect.poll(runs, { timeout: 15_000 }).toBe(1);
    expect(await lastRun().locator('.ev-token-refresh').count()).toBe(1);
    expect(await lastRun().locator('.ev-request').count()).toBe(2);
    expect(await lastRun().locator('.outcome').innerText()).toContain('结果：成功');

    // three busy answers for a call that makes three attempts: three attempts, two retries, one error explained once
    await page.selectOption('#fault-kind', 'busy');
    await page.selectOption('#fault-count', '3');
    await page.click('#fault-run');
    await expect.poll(runs, { timeout: 15_000 }).toBe(2);
    expect(await lastRun().locator('.ev-request').count()).toBe(3);
    expect(await lastRun().locator('.ev-retry').count()).toBe(2);
    expect(await lastRun().locator('.error-once').count()).toBe(1);
    const failed = await lastRun().locator('.outcome').innerText();
    expect(failed).toContain('-1');
    expect(failed).toContain('系统繁忙');
    expect(failed).toContain('退避（含抖动）后重试');

    // token expired three times: one refresh, one retry, then the error; the unused fault is cleared, so the next run
    // with no faults succeeds at the first attempt
    await page.selectOption('#fault-kind', 'token-expired');
    await page.click('#fault-run');
    await expect.poll(runs, { timeout: 15_000 }).toBe(3);
    expect(await lastRun().locator('.ev-token-refresh').count()).toBe(1);
    expect(await lastRun().locator('.outcome').innerText()).toContain('42001');
    expect(await lastRun().locator('.unused').innerText()).toMatch(/未用到的 1 个故障已清除/);
    await page.selectOption('#fault-count', '0');
    await page.click('#fault-run');
    await expect.poll(runs, { timeout: 15_000 }).toBe(4);
    expect(await lastRun().locator('.ev-request').count()).toBe(1);
    expect(await lastRun().locator('.outcome').innerText()).toContain('结果：成功');
    expect(sandbox.faults()).toEqual([]);

    // a transport fault: the typed error, once
    await page.selectOption('#fault-kind', 'html');
    await page.selectOption('#fault-count', '3');
    await page.click('#fault-run');
    await expect.poll(runs, { timeout: 15_000 }).toBe(5);
    expect(await lastRun().locator('.outcome').innerText()).toMatch(/应答无法解析[\s\S]*ScrmParseError/);
    await page.screenshot({ path: `${SHOTS}/d-faults.png`, fullPage: true });
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

describe('demo at phone and desktop widths, in both languages', () => {
  it.each([
    ['zh', 390, 844],
    ['zh', 1400, 900],
    ['en', 390, 844],
    ['en', 1400, 900],
  ])('%s at %i × %i: no horizontal scrolling, no console errors, the other language one click away', async (lang, width, height) => {
    const p = await browser.newPage({ viewport: { width, height } });
    const problems = [];
    p.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await p.goto(`${demo.url}/${lang === 'en' ? '?lang=en' : ''}`, { waitUntil: 'load' });
    await p.waitForFunction(() => document.getElementById('mode')?.textContent?.includes('wecom: sandbox'));
    // fill the page as a user would: a QR code and a look-up result
    await p.click('#qr-create');
    await p.locator('#qr-image').waitFor();
    await p.click('#weiling-go');
    await expect.poll(() => p.locator('#weiling-result').textContent()).toContain('王晓明');
    expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang === 'en' ? 'en' : 'zh-CN');
    expect(await p.locator('#faults h2').innerText()).toBe(
      lang === 'en' ? '(d) Faults, retries and token refreshes' : '(d) 故障、重试与 token 刷新',
    );
    const overflow = await p.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(overflow.scroll, `page is ${overflow.scroll} px wide in a ${overflow.client} px viewport`).toBeLessThanOrEqual(overflow.client);
    await p.screenshot({ path: `${SHOTS}/demo-${lang}-${width}.png`, fullPage: true });
    await p.click('#lang-switch');
    await p.waitForFunction((want) => document.documentElement.lang === want, lang === 'en' ? 'zh-CN' : 'en');
    expect(problems).toEqual([]);
    await p.close();
  });
  it.each([
    ['zh', 390, 844],
    ['en', 390, 844],
    ['en', 1400, 900],
  ])('the 服务商 page, %s at %i × %i: its own language, no horizontal scrolling, no console errors', async (lang, width, height) => {
    const p = await browser.newPage({ viewport: { width, height } });
    const problems = [];
    p.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await p.goto(`${demo.url}/providers${lang === 'en' ? '?lang=en' : ''}`, { waitUntil: 'load' });
    await p.click('#install-one');
    await expect.poll(() => p.locator('.corp-customers').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang === 'en' ? 'en' : 'zh-CN');
    expect(await p.locator('#install h2').innerText()).toBe(lang === 'en' ? '1. Install the app' : '1. 安装应用');
    expect(await p.locator('tr.corp td').nth(2).innerText()).toBe(lang === 'en' ? 'Third-party app' : '第三方应用');
    const overflow = await p.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(overflow.scroll, `page is ${overflow.scroll} px wide in a ${overflow.client} px viewport`).toBeLessThanOrEqual(overflow.client);
    await p.screenshot({ path: `${SHOTS}/providers-${lang}-${width}.png`, fullPage: true });
    await p.click('#lang-switch');
    await p.waitForFunction((want) => document.documentElement.lang === want, lang === 'en' ? 'zh-CN' : 'en');
    expect(problems).toEqual([]);
    await p.close();
  });
});
