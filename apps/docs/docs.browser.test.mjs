// Browser test: Playwright (playwright-core) driving Debian's Chromium against the built site on loopback.
// The landing page and each reference load with no console errors and no failed requests, a known operation is
// found through the reference's search, and a guide's error table shows a known WeCom code. Screenshots are saved
// to test-results/screenshots/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { bundledSpec, countOperations, vendor, vendorNames } from '@scrm-openapi/vendors';
import { GUIDES } from './layout.mjs';
import { serveDocs } from './serve.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = 'test-results/screenshots';
let site;
let browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  site = await serveDocs();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
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
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** Opens a page and records console errors and failed (or off-site) requests. */
async function open(path, viewport = { width: 1400, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  page.on(
    'request',
    (r) =>
      !r.url().startsWith(site.url) &&
      !r.url().startsWith('data:') &&
      !r.url().startsWith('blob:') &&
      problems.push(`off-site request: ${r.url()}`),
  );
  await page.goto(`${site.url}${path}`, { waitUntil: 'networkidle' });
  return { page, problems };
}

describe('docs site in Chromium', () => {
  it('the landing page lists every vendor with its operation count', async () => {
    const { page, problems } = await open('/index.html');
    const cards = await page.locator('.card h2').allTextContents();
    expect(cards).toEqual(vendorNames.map((v) => vendor(v).displayName));
    const stats = await page.locator('.card .stats').allTextContents();
    for (const [i, v] of vendorNames.entries()) expect(stats[i]).toContain(`${countOperations(bundledSpec(v)).operations} 个接口`);
    await page.screenshot({ path: `${SHOTS}/landing.png`, fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(vendorNames)('the %s reference loads offline, with the spec downloadable beside it', async (vendor) => {
    const { page, problems } = await open(`/${vendor}/index.html`);
    await page.waitForSelector('.api-content h1, [data-section-id]', { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/reference-${vendor}.png` });
    // a vendor with x-scrm-known-gaps lists them on its reference
    const gaps = bundledSpec(vendor)['x-scrm-known-gaps'] ?? [];
    if (gaps.length) {
      const text = await page.locator('.api-content').first().innerText();
      expect(text).toContain('已知缺口 Known gaps');
      for (const g of gaps) expect(text).toContain(g.title);
    }
    expect(problems).toEqual([]);
    const yaml = await fetch(`${site.url}/${vendor}/openapi.yaml`);
    expect(yaml.status).toBe(200);
    expect((await yaml.text()).startsWith('openapi: 3.1.0')).toBe(true);
    await page.close();
  });

  it('finds a known operation through the reference search, and shows its provenance', async () => {
    const { page, problems } = await open('/wecom/index.html');
    await page.locator('[data-component-name="icons/SearchIcon/SearchIcon"]').first().click();
    const search = page.locator('input[placeholder="Search docs..."]');
    await search.fill('add_contact_way');
    // the search dialog: the input's nearest ancestor that also holds the keyboard hints
    const dialogText = () =>
      page.evaluate(() => {
        let node = document.querySelector('input[placeholder="Search docs..."]');
        while (node && !/to navigate/.test(node.innerText ?? '')) node = node.parentElement;
        return node?.innerText ?? '';
      });
    await expect.poll(dialogText, { timeout: 15_000 }).toContain('配置客户联系「联系我」方式');
    expect(await dialogText()).toMatch(/POST\s*\/cgi-bin\/externalcontact\/add_contact_way/);
    await page.screenshot({ path: `${SHOTS}/reference-search.png` });
    await page.keyboard.press('Escape');
    // Redoc renders operations on demand, so the order is read from the spec it was built with: what the call does
    // first, its provenance after
    const html = await (await fetch(`${site.url}/wecom/index.html`)).text();
    const does = html.indexOf('Lists the userids of members who have the customer-contact feature');
    expect(does).toBeGreaterThan(0);
    expect(html.indexOf('来源 Provenance', does)).toBeGreaterThan(does);
    expect(html.indexOf('来源 Provenance', does) - does).toBeLessThan(3000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a guide's error table shows a known WeCom code", async () => {
    const { page, problems } = await open('/guides/errors-and-retries.html');
    const row = page.locator('tr', { hasText: '42001' }).first();
    await expect(row.innerText()).resolves.toMatch(/access_token已过期/);
    await page.screenshot({ path: `${SHOTS}/guide-errors.png` });
    expect(problems).toEqual([]);
    await page.close();
  });

  const pages = ['index.html', ...GUIDES.map((g) => `guides/${g.slug}.html`)];
  it.each([
    [390, 844],
    [1400, 900],
  ])('landing page and every guide, zh and en, at %i × %i: no horizontal scrolling, no console errors', async (width, height) => {
    for (const lang of ['zh', 'en']) {
      for (const p of pages) {
        const { page, problems } = await open(`/${lang === 'en' ? 'en/' : ''}${p}`, { width, height });
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang === 'en' ? 'en' : 'zh-CN');
        const size = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
        }));
        expect(size.scroll, `${lang}/${p} is ${size.scroll} px wide in ${size.client} px`).toBeLessThanOrEqual(size.client);
        // the twin is one click away
        const twin = await page.locator('#lang-switch').getAttribute('href');
        expect(new URL(twin, page.url()).pathname).toBe(lang === 'en' ? `/${p}` : `/en/${p}`);
        if (p === 'index.html' || p === 'guides/errors-and-retries.html')
          await page.screenshot({ path: `${SHOTS}/${lang}-${p.replace(/\W+/g, '-')}-${width}.png`, fullPage: true });
        expect(problems).toEqual([]);
        await page.close();
      }
    }
  });

  it('the English landing page links the English guides and the shared references', async () => {
    const { page, problems } = await open('/en/index.html');
    expect(await page.locator('.card .stats').first().innerText()).toMatch(/\d+ operations/);
    await page.click('text=Quick start >> nth=0');
    await page.waitForURL(/\/en\/guides\/quick-start\.html$/);
    expect(await page.locator('h1').innerText()).toBe('Quick start');
    expect(problems).toEqual([]);
    await page.close();
  });
});
