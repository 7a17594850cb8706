// The shared look of the landing page and the guides: one self-contained HTML page, no external assets.
// 简体中文 first: a guide is `guides/<slug>.md` (zh, served at guides/<slug>.html) with its English twin
// `guides/en/<slug>.md` (served at en/guides/<slug>.html); guides.test.mjs checks every guide has its twin with the
// same headings and code blocks. A guide's title is its first `# ` heading.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vendors } from '@scrm-openapi/vendors';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GUIDES_DIR = path.join(here, 'guides');
export const LANGS = ['zh', 'en'];
/** Where a language's guide sources live. */
export const guideDir = (lang) => (lang === 'zh' ? GUIDES_DIR : path.join(GUIDES_DIR, lang));

// every vendor of the registry: its name, display name (info.x-scrm-display-name), package and factory
export const VENDORS = vendors.map((v) => ({ ...v, title: v.displayName, pkg: v.clientPackage ?? v.specPackage }));

// the order of the nav; guides not named here follow, by name
const ORDER = [
  'quick-start',
  'whole-scrm-integration',
  'auth-and-tokens',
  'errors-and-retries',
  'pagination',
  'callbacks',
  'sandbox',
  'providers',
  'regenerating',
];
const rank = (slug) => (ORDER.includes(slug) ? ORDER.indexOf(slug) : ORDER.length);

/** Every guide: its slug and its title in each language (the first `# ` heading of each file). */
export const GUIDES = readdirSync(GUIDES_DIR)
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -3))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  .map((slug) => ({
    slug,
    title: Object.fromEntries(
      LANGS.map((lang) => {
        const file = path.join(guideDir(lang), `${slug}.md`);
        const heading = existsSync(file) ? /^# (.+)$/m.exec(readFileSync(file, 'utf8'))?.[1] : undefined;
        return [lang, heading ?? slug];
      }),
    ),
  }));

const CSS = `
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --accent:#0969da; --bg:#fff; --code:#f6f8fa; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif; color:var(--fg); background:var(--bg); }
header { border-bottom:1px solid var(--line); padding: 12px 24px; display:flex; gap:20px; align-items:center; flex-wrap:wrap; }
header a { color: var(--fg); text-decoration:none; } header a.brand { font-weight:700; }
header nav a { color: var(--muted); margin-right: 14px; } header nav a:hover { color: var(--accent); }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 28px; margin: 8px 0 12px; } h2 { margin-top: 32px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--code); padding: 12px 14px; border-radius: 6px; overflow-x: auto; }
:not(pre) > code { background: var(--code); padding: 1px 5px; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--code); }
.cards { display:grid; grid-template-columns: repeat(auto-fit, minmax(min(480px, 100%), 1fr)); gap: 18px; }
.card { border:1px solid var(--line); border-radius: 8px; padding: 16px 18px; min-width: 0; }
.lang { margin-left: auto; }
.table { overflow-x: auto; }
@media (max-width: 600px) { header, main, footer { padding-left: 14px; padding-right: 14px; } .card { padding: 12px; } h1 { font-size: 24px; } }
.card h2 { margin: 0 0 6px; border: 0; font-size: 20px; }
.stats { color: var(--muted); margin: 0 0 10px; }
.links a { margin-right: 14px; }
footer { color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); padding: 16px 24px; margin-top: 40px; }
`;

const UI = {
  zh: { html: 'zh-CN', other: 'English', footer: '由 scrm-openapi 规范生成。MIT 许可。接口参考由 Redoc 渲染。' },
  en: { html: 'en', other: '简体中文', footer: 'Generated from the scrm-openapi specs. MIT licence. References rendered with Redoc.' },
};

/**
 * A page of the site. `path` is where it is served relative to the root of its language (`index.html`,
 * `guides/quick-start.html`); English pages live under `en/`, with the same path. The header links to the twin.
 */
export function page({ title, body, path: at, lang = 'zh' }) {
  const depth = at.split('/').length - 1 + (lang === 'en' ? 1 : 0);
  const root = depth ? '../'.repeat(depth) : './';
  const home = lang === 'en' ? `${root}en/` : root;
  const twin = lang === 'en' ? `${root}${at}` : `${root}en/${at}`;
  const ui = UI[lang];
  return `<!doctype html>
<html lang="${ui.html}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} · scrm-openapi</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <a class="brand" href="${home}index.html">scrm-openapi</a>
  <nav>
    ${VENDORS.map((v) => `<a href="${root}${v.name}/index.html">${v.name}</a>`).join('\n    ')}
    ${GUIDES.map((g) => `<a href="${home}guides/${g.slug}.html">${g.title[lang]}</a>`).join('\n    ')}
  </nav>
  <a class="lang" id="lang-switch" href="${twin}" hreflang="${lang === 'en' ? 'zh-CN' : 'en'}">${ui.other}</a>
</header>
<main>
${body}
</main>
<footer>${ui.footer}</footer>
</body>
</html>
`;
}
