/**
 * The sandbox's front page (`GET /`): which vendors it serves, where, with which working credentials, how to inject
 * faults, and links to the docs and the demo when it knows them. 简体中文 first (`/`), English at `/?lang=en`; a
 * client that asks for JSON (`Accept: application/json`) gets the same facts as JSON.
 */

export interface IndexVendor {
  name: string;
  displayName: string;
  operations: number;
  credentials: Record<string, string>;
}

export interface IndexLinks {
  /** The docs site (e.g. `http://127.0.0.1:4020`), linked from the page when given. */
  docs?: string;
  /** The demo app, linked from the page when given. */
  demo?: string;
}

export type IndexLang = 'zh' | 'en';

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const TEXT = {
  zh: {
    lang: 'zh-CN',
    title: 'scrm-openapi 沙箱',
    intro:
      '本地的有状态模拟服务：每个厂商规范中的每个接口都在 <code>/&lt;vendor&gt;</code> 下提供，请求按规范校验，token 的签发和过期与厂商一致。以下凭证只对本沙箱有效。',
    other: 'English',
    otherHref: '?lang=en',
    vendors: '厂商',
    baseUrl: '接口地址（baseUrl）',
    operations: '接口数',
    credentials: '可用凭证（客户端选项）',
    client: '客户端',
    faults: '故障注入',
    faultsText: '让某个接口接下来的 N 次请求失败，然后观察客户端的重试和 token 刷新；每次演示前清空队列。',
    links: '链接',
    docs: '文档（快速开始、指南、接口参考）',
    demo: '演示应用',
    noDocs: '文档：在仓库根目录运行 <code>npm start</code>，终端会打印文档站的地址。',
    stats: '请求计数',
  },
  en: {
    lang: 'en',
    title: 'scrm-openapi sandbox',
    intro:
      'A local, stateful mock: every operation of every vendor spec is served under <code>/&lt;vendor&gt;</code>, requests are validated against the spec, and tokens are issued and expire as the vendor does. The credentials below work on this sandbox only.',
    other: '简体中文',
    otherHref: '?lang=zh',
    vendors: 'Vendors',
    baseUrl: 'Base URL (baseUrl)',
    operations: 'Operations',
    credentials: 'Working credentials (client options)',
    client: 'Client',
    faults: 'Fault injection',
    faultsText:
      "Make an operation's next N requests fail, then watch the client's retries and token refreshes; clear the queue before each run.",
    links: 'Links',
    docs: 'Docs (quick start, guides, API reference)',
    demo: 'Demo app',
    noDocs: "Docs: run <code>npm start</code> at the repository root; it prints the docs site's address.",
    stats: 'Request counters',
  },
} as const;

const factoryOf = (vendor: string) =>
  `create${vendor
    .split(/[^A-Za-z0-9]+/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')}Client`;

/** The front page as HTML, in `lang`. */
export function indexPage({
  url,
  vendors,
  links = {},
  lang,
}: {
  url: string;
  vendors: readonly IndexVendor[];
  links?: IndexLinks;
  lang: IndexLang;
}): string {
  const t = TEXT[lang];
  const rows = vendors
    .map((v) => {
      const creds = Object.entries(v.credentials)
        .map(([k, value]) => `<div><code>${esc(k)}</code>: <code class="secret">${esc(value)}</code></div>`)
        .join('');
      const options = [...Object.entries(v.credentials).map(([k, value]) => `${k}: '${value}'`), `baseUrl: '${url}/${v.name}'`];
      return `<section class="vendor" id="${esc(v.name)}">
<h3>${esc(v.displayName)}</h3>
<table>
<tr><th>${t.baseUrl}</th><td><code class="base">${esc(`${url}/${v.name}`)}</code></td></tr>
<tr><th>${t.operations}</th><td>${v.operations}</td></tr>
<tr><th>${t.credentials}</th><td>${creds}</td></tr>
</table>
<pre><code>// ${t.client}
${esc(`${factoryOf(v.name)}({ ${options.join(', ')} })`)}</code></pre>
</section>`;
    })
    .join('\n');
  const links_ = [
    links.docs
      ? `<li><a id="docs-link" href="${esc(`${links.docs.replace(/\/$/, '')}/${lang === 'en' ? 'en/' : ''}index.html`)}">${t.docs}</a></li>`
      : `<li>${t.noDocs}</li>`,
    links.demo ? `<li><a id="demo-link" href="${esc(links.demo)}">${t.demo}</a></li>` : '',
    `<li><a href="/_control/stats">${t.stats}</a> (<code>GET /_control/stats</code>)</li>`,
  ].join('');
  return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${t.title}</title>
<style>
body { margin: 0 auto; max-width: 960px; padding: 16px; font: 15px/1.6 -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2328; }
header { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; flex-wrap: wrap; }
h1 { font-size: 24px; margin: 8px 0; } h2 { margin-top: 28px; border-bottom: 1px solid #d1d9e0; }
.vendor { border: 1px solid #d1d9e0; border-radius: 8px; padding: 4px 14px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #eaeef2; }
th { width: 34%; font-weight: 600; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
pre { background: #f6f8fa; padding: 10px; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
</style>
</head>
<body>
<header><h1>${t.title}</h1><a id="lang-switch" href="${t.otherHref}" hreflang="${lang === 'zh' ? 'en' : 'zh-CN'}">${t.other}</a></header>
<p>${t.intro}</p>
<h2>${t.vendors}</h2>
${rows}
<h2>${t.faults}</h2>
<p>${t.faultsText}</p>
<pre><code>curl -X DELETE ${esc(url)}/_control/faults
curl -X POST ${esc(url)}/_control/faults -d '{"vendor":"wecom","operation":"getFollowUserList","kind":"token-expired","count":1}'
curl ${esc(url)}/_control/faults</code></pre>
<h2>${t.links}</h2>
<ul>${links_}</ul>
</body>
</html>
`;
}
