#!/usr/bin/env node
// Builds the static docs site into dist/: one Redoc reference per vendor (offline: Redoc inlined), the bundled spec
// beside it, a landing page and the guides (Markdown rendered with marked). Provenance (confidence, source,
// what it was checked against) is shown at the top of every operation, and a vendor's known gaps on its reference
// page and its landing card (decorate.mjs).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { decorate } from './decorate.mjs';
import { GUIDES, guideDir, LANGS, page, VENDORS } from './layout.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const redocly = path.join(here, '..', '..', 'node_modules', '.bin', 'redocly');
const started = Date.now();
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const md = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const ACTION = {
  zh: {
    'refresh-token': '丢弃 token，重新获取并重试一次',
    retry: '退避（含抖动）后重试（读取和幂等调用）',
    throttle: '较长时间退避；该接口的其他调用者也会等待',
    fail: '作为 `error` 返回（`unwrap()` 抛出 `ScrmApiError`）',
  },
  en: {
    'refresh-token': 'Drops the token, fetches a new one and retries once',
    retry: 'Retries with backoff and jitter (reads and idempotent calls)',
    throttle: 'Backs off for longer; other callers of the operation wait too',
    fail: 'Returns it as `error` (`unwrap()` throws `ScrmApiError`)',
  },
};
const TEXT = {
  zh: {
    title: '企业微信生态 SCRM API 的类型化 SDK、接口参考与沙箱',
    intro: `为国内产品团队每天对接的 SCRM API 提供类型化的 TypeScript 客户端、这份接口参考和一个本地沙箱——全部由手写的 OpenAPI 3.1
规范生成。从<a href="guides/quick-start.html">快速开始</a>入手；没有厂商账号也能运行（<code>npm start</code> 会启动沙箱、演示和文档）。`,
    stats: (s) =>
      `<strong>${s.operations}</strong> 个接口 · ${s.webhooks} 个回调 · 可信度 ${Object.entries(s.confidence)
        .map(([k, n]) => `${k} ${n}`)
        .join('、')}`,
    gaps: (n) => `${n} 项已知缺口`,
    reference: '接口参考',
    guides: '指南',
    table: '| 错误码 | 名称 | 含义 | SDK 的处理 |',
  },
  en: {
    title: 'Typed SDKs, reference and sandbox for WeCom-ecosystem SCRM APIs',
    intro: `Typed TypeScript clients, this reference and a local sandbox for the SCRM APIs Chinese product teams integrate every
day — generated from hand-written OpenAPI 3.1 specs. Start with the <a href="guides/quick-start.html">quick start</a>; it runs with no vendor account (<code>npm start</code> starts the sandbox, the demo and the docs).`,
    stats: (s) =>
      `<strong>${s.operations}</strong> operations · ${s.webhooks} callbacks · confidence ${Object.entries(s.confidence)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`,
    gaps: (n) => `${n} known gaps`,
    reference: 'API reference',
    guides: 'Guides',
    table: '| Code | Name | Meaning | What the SDK does |',
  },
};
// wide tables scroll inside their box instead of widening the page on a phone
const boxed = (html) => html.replaceAll('<table>', '<div class="table"><table>').replaceAll('</table>', '</table></div>');

/**
 * Makes a Redoc page fully offline: Redoc's "API docs by Redocly" attribution loads its logo from a CDN, so the logo
 * is replaced by an inline SVG (the attribution link stays), and an empty favicon avoids a request for one.
 */
function offline(file) {
  const logo = (w) =>
    `data:image/svg+xml;charset=utf-8,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="16"><text x="0" y="12" font-family="sans-serif" font-size="11" fill="#0044d4">Redocly</text></svg>`)}`;
  let html = readFileSync(file, 'utf8');
  html = html
    .replaceAll('https://cdn.redoc.ly/redoc/logo-mini-full.svg', logo(48))
    .replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', logo(48));
  html = html.replace('<head>', '<head><link rel="icon" href="data:,">');
  writeFileSync(file, html);
}

const summaries = [];
for (const v of VENDORS) {
  const specPath = path.join(v.specDir, 'dist', 'openapi.json');
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const out = path.join(dist, v.name);
  mkdirSync(out, { recursive: true });
  copyFileSync(specPath, path.join(out, 'openapi.json'));
  copyFileSync(specPath.replace(/\.json$/, '.yaml'), path.join(out, 'openapi.yaml'));
  const decorated = path.join(out, '.decorated.json');
  writeFileSync(decorated, JSON.stringify(decorate(spec)));
  execFileSync(
    redocly,
    [
      'build-docs',
      decorated,
      '-o',
      path.join(out, 'index.html'),
      '--inlineBundle',
      '--title',
      `${v.title} — API reference · scrm-openapi`,
      '--lint-config',
      'off',
    ],
    {
      stdio: 'ignore',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
    },
  );
  rmSync(decorated);
  offline(path.join(out, 'index.html'));
  const ops = Object.values(spec.paths).flatMap((item) => METHODS.filter((m) => item[m]).map((m) => item[m]));
  const confidence = {};
  for (const o of ops) confidence[o['x-scrm-source'].confidence] = (confidence[o['x-scrm-source'].confidence] ?? 0) + 1;
  summaries.push({
    ...v,
    spec,
    operations: ops.length,
    webhooks: Object.keys(spec.webhooks ?? {}).length,
    confidence,
    errors: spec['x-scrm-errors'] ?? [],
    knownGaps: (spec['x-scrm-known-gaps'] ?? []).length,
  });
}

// landing page: each card shows the first TypeScript example of the vendor package's README
function quickStart(v) {
  const readme = v.packageDir ? readFileSync(path.join(v.packageDir, 'README.md'), 'utf8') : '';
  const sample = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!sample) throw new Error(`docs: ${v.name} has no \`\`\`ts example in its package README`);
  return sample.trimEnd();
}
for (const lang of LANGS) {
  const t = TEXT[lang];
  const up = lang === 'en' ? '../' : '';
  const cards = summaries
    .map(
      (s) => `<section class="card" id="${s.name}">
  <h2>${esc(s.title)}</h2>
  <p class="stats">${t.stats(s)}${s.knownGaps ? ` · <a class="gaps" href="${up}${s.name}/index.html">${t.gaps(s.knownGaps)}</a>` : ''}</p>
  <pre><code>npm install ${s.pkg}</code></pre>
  <pre><code>${esc(quickStart(s))}</code></pre>
  <p class="links"><a href="${up}${s.name}/index.html">${t.reference}</a><a href="${up}${s.name}/openapi.yaml" download>openapi.yaml</a><a href="${up}${s.name}/openapi.json" download>openapi.json</a></p>
</section>`,
    )
    .join('\n');
  const out = lang === 'en' ? path.join(dist, 'en') : dist;
  mkdirSync(path.join(out, 'guides'), { recursive: true });
  writeFileSync(
    path.join(out, 'index.html'),
    page({
      title: t.title,
      path: 'index.html',
      lang,
      body: `<h1>scrm-openapi</h1>
<p>${t.intro}</p>
<div class="cards">
${cards}
</div>
<h2>${t.guides}</h2>
<ul>${GUIDES.map((g) => `<li><a href="guides/${g.slug}.html">${g.title[lang]}</a></li>`).join('')}</ul>`,
    }),
  );

  // guides
  const errorTables = summaries
    .map((s) => {
      const rows = [...s.errors]
        .sort((a, b) => Number(a.code) - Number(b.code))
        .map((e) => `| \`${e.code}\` | ${md(e.name)} | ${md(e.meaning)} | ${ACTION[lang][e.action]} |`)
        .join('\n');
      const http = (s.spec['x-scrm-http-errors'] ?? [])
        .map((e) => `| HTTP \`${e.status}\` | ${md(e.name)} | ${md(e.meaning)} | ${ACTION[lang][e.action]} |`)
        .join('\n');
      return `### ${s.title}\n\n${t.table}\n| --- | --- | --- | --- |\n${[http, rows].filter(Boolean).join('\n')}\n`;
    })
    .join('\n');
  for (const g of GUIDES) {
    const file = path.join(guideDir(lang), `${g.slug}.md`);
    if (!existsSync(file)) throw new Error(`docs: the guide ${g.slug} has no ${lang} version (${path.relative(here, file)})`);
    const source = readFileSync(file, 'utf8').replace('{{errors}}', errorTables);
    writeFileSync(
      path.join(out, 'guides', `${g.slug}.html`),
      page({ title: g.title[lang], path: `guides/${g.slug}.html`, lang, body: boxed(marked.parse(source)) }),
    );
  }
}

const sizes = [];
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else sizes.push([path.relative(dist, p), statSync(p).size]);
  }
};
walk(dist);
console.log(`docs: built ${sizes.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const [f, n] of sizes.filter(([f]) => f.endsWith('.html'))) console.log(`  ${f.padEnd(36)} ${(n / 1024).toFixed(0).padStart(6)} KiB`);
