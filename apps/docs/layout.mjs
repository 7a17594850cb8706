// The shared look of the landing page and the guides: one self-contained HTML page, no external assets.
import { vendors } from '@scrm-openapi/vendors';

// every vendor of the registry: its name, display name (info.x-scrm-display-name), package and factory
export const VENDORS = vendors.map((v) => ({ ...v, title: v.displayName, pkg: v.clientPackage ?? v.specPackage }));

export const GUIDES = [
  ['quick-start', 'Quick start'],
  ['auth-and-tokens', 'Auth and tokens'],
  ['errors-and-retries', 'Errors and retries'],
  ['pagination', 'Pagination'],
  ['callbacks', 'Callbacks'],
  ['sandbox', 'The sandbox'],
  ['providers', '服务商 and 代开发 / Service providers and customized apps'],
  ['regenerating', 'Regeneration and versioning'],
];

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
.cards { display:grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 18px; }
.card { border:1px solid var(--line); border-radius: 8px; padding: 16px 18px; }
.card h2 { margin: 0 0 6px; border: 0; font-size: 20px; }
.stats { color: var(--muted); margin: 0 0 10px; }
.links a { margin-right: 14px; }
footer { color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); padding: 16px 24px; margin-top: 40px; }
`;

export function page({ title, body, depth = 0 }) {
  const up = depth ? '../'.repeat(depth) : './';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title} · scrm-openapi</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <a class="brand" href="${up}index.html">scrm-openapi</a>
  <nav>
    ${VENDORS.map((v) => `<a href="${up}${v.name}/index.html">${v.name}</a>`).join('\n    ')}
    ${GUIDES.map(([slug, name]) => `<a href="${up}guides/${slug}.html">${name}</a>`).join('\n    ')}
  </nav>
</header>
<main>
${body}
</main>
<footer>Generated from the scrm-openapi specs. MIT licence. References rendered with Redoc.</footer>
</body>
</html>
`;
}
