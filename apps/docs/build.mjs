#!/usr/bin/env node
// Builds the static docs site into dist/: one Redoc reference per vendor (offline: Redoc inlined), the bundled spec
// beside it, a landing page and the guides (Markdown rendered with marked). Provenance (confidence, source,
// what it was checked against) is shown at the top of every operation, and a vendor's known gaps on its reference
// page and its landing card (decorate.mjs).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { decorate } from './decorate.mjs';
import { GUIDES, page, VENDORS } from './layout.mjs';

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
  'refresh-token': 'Drops the token, fetches a new one and retries once',
  retry: 'Retries with backoff and jitter (reads and idempotent calls)',
  throttle: 'Backs off for longer; other callers of the operation wait too',
  fail: 'Returns it as `error` (`unwrap()` throws `ScrmApiError`)',
};

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
const cards = summaries
  .map(
    (s) => `<section class="card" id="${s.name}">
  <h2>${esc(s.title)}</h2>
  <p class="stats"><strong>${s.operations}</strong> operations · ${s.webhooks} callbacks · confidence ${Object.entries(s.confidence)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ')}${s.knownGaps ? ` · <a class="gaps" href="${s.name}/index.html">${s.knownGaps} 已知缺口 known gaps</a>` : ''}</p>
  <pre><code>npm install ${s.pkg}</code></pre>
  <pre><code>${esc(quickStart(s))}</code></pre>
  <p class="links"><a href="${s.name}/index.html">API reference</a><a href="${s.name}/openapi.yaml" download>openapi.yaml</a><a href="${s.name}/openapi.json" download>openapi.json</a></p>
</section>`,
  )
  .join('\n');
writeFileSync(
  path.join(dist, 'index.html'),
  page({
    title: 'Typed SDKs, reference and sandbox for WeCom-ecosystem SCRM APIs',
    body: `<h1>scrm-openapi</h1>
<p>Typed TypeScript clients, this reference and a local sandbox for the SCRM APIs Chinese product teams integrate every
day — generated from hand-written OpenAPI 3.1 specs. Start with the <a href="guides/quick-start.html">quick start</a>, then <a href="guides/whole-scrm-integration.html">一个完整的 SCRM 集成 / a whole SCRM integration</a> (secrets, media, OAuth, app messages, the sidebar's JS-SDK).</p>
<div class="cards">
${cards}
</div>
<h2>Guides</h2>
<ul>${GUIDES.map(([slug, name]) => `<li><a href="guides/${slug}.html">${name}</a></li>`).join('')}</ul>`,
  }),
);

// guides
const errorTables = summaries
  .map((s) => {
    const rows = [...s.errors]
      .sort((a, b) => Number(a.code) - Number(b.code))
      .map((e) => `| \`${e.code}\` | ${md(e.name)} | ${md(e.meaning)} | ${ACTION[e.action]} |`)
      .join('\n');
    const http = (s.spec['x-scrm-http-errors'] ?? [])
      .map((e) => `| HTTP \`${e.status}\` | ${md(e.name)} | ${md(e.meaning)} | ${ACTION[e.action]} |`)
      .join('\n');
    return `### ${s.title}\n\n| Code | Name | Meaning | What the SDK does |\n| --- | --- | --- | --- |\n${[http, rows].filter(Boolean).join('\n')}\n`;
  })
  .join('\n');
mkdirSync(path.join(dist, 'guides'), { recursive: true });
for (const [slug, name] of GUIDES) {
  const source = readFileSync(path.join(here, 'guides', `${slug}.md`), 'utf8').replace('{{errors}}', errorTables);
  writeFileSync(path.join(dist, 'guides', `${slug}.html`), page({ title: name, body: marked.parse(source), depth: 1 }));
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
