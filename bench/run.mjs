#!/usr/bin/env node
// npm run bench — every figure is a ratio against a baseline measured in this same run, on this machine.
// Writes the table and the machine it ran on to bench/RESULTS.md. Not a test: nothing here fails on a slow machine.
//
//   node bench/run.mjs [--only overhead,bundle,tsc,callback,paginate,turbo,sync,provider] [--quick]
//
// Sections:
//   turbo     cold build (--force), warm build, and a one-spec edit (which tasks re-ran)
//   overhead  a WeCom client call vs a raw fetch of the same request, against the sandbox on loopback
//   bundle    each client tree-shaken, minified, gzipped by esbuild, vs openapi-fetch alone
//   tsc       `tsc --noEmit` of a consumer file using every client vs the same file using plain fetch
//   callback  WXBizMsgCrypt verify + decrypt vs the official @wecom/crypto package, same inputs
//   paginate  paginate() over 100,000 items: retained heap growth, and throughput vs a hand-written loop
//   sync      all 10,000 customers of a member through WeCom batch/get_by_user against the sandbox's enforced
//             (time-scaled) rate limit, with the client's throttle: elapsed ÷ the minimum the limit allows, and
//             the rate-limit answers the sandbox gave
//   provider  a WeCom provider (服务商) in 4 processes sharing a real redis-server: 1,000 corps called cold at once
//             from every process — token fetches against the goal of 1 suite token and 1,000 corp tokens
import { spawnSandbox } from './sandbox-process.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem, release, platform, arch } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { bundledSpec, parameterlessGet, vendors } from '@scrm-openapi/vendors';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const cache = path.join(here, '.cache');
const turboBin = path.join(root, 'node_modules', '.bin', 'turbo');

// paginate() memory needs a forced GC; re-run ourselves with --expose-gc if it is missing.
if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

const { values: args } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
});
const SECTIONS = ['turbo', 'overhead', 'bundle', 'tsc', 'callback', 'paginate', 'sync', 'provider'];
const selected = args.only ? args.only.split(',').map((s) => s.trim()) : SECTIONS;
for (const s of selected) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}; one of ${SECTIONS.join(', ')}`);
const quick = args.quick;

/** @type {{ section: string; measure: string; ours: string; baseline: string; ratio: number; target?: string; met?: boolean; }[]} */
const rows = [];
const notes = [];
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const fmt = (n, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const kb = (bytes) => `${fmt(bytes / 1024, 2)} kB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(cmd, argv, options = {}) {
  const started = performance.now();
  const res = spawnSync(cmd, argv, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0' },
    ...options,
  });
  const ms = performance.now() - started;
  if (res.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return { ms, out: `${res.stdout}\n${res.stderr}` };
}

// ─── turbo ────────────────────────────────────────────────────────────────────────────────────────────────────
async function benchTurbo() {
  log('turbo: cold build (--force)…');
  const cold = run(turboBin, ['run', 'build', '--force', '--output-logs=errors-only']);
  log(`turbo: cold ${fmt(cold.ms / 1000)} s; warm build…`);
  const warm = run(turboBin, ['run', 'build', '--output-logs=hash-only']);
  const warmMisses = missed(warm.out);
  // the edited spec: the first vendor of the registry; only its chain may re-run
  const edited = vendors[0];
  const spec = path.join(edited.specDir, 'openapi.yaml');
  const original = readFileSync(spec, 'utf8');
  let edit;
  try {
    writeFileSync(spec, `${original}# bench: one-spec edit ${Date.now()}\n`);
    log(`turbo: one-spec edit (${path.relative(root, spec)})…`);
    edit = run(turboBin, ['run', 'build', '--output-logs=hash-only']);
  } finally {
    writeFileSync(spec, original);
  }
  run(turboBin, ['run', 'build', '--output-logs=errors-only']); // back to the committed spec's outputs (cache hits)
  const reran = missed(edit.out);
  const total = tasks(edit.out);
  const others = reran.filter((t) => vendors.some((v) => v !== edited && t.startsWith(`${v.clientPackage ?? v.specPackage}`)));
  rows.push({ section: 'turbo', measure: 'cold build (every task, no cache)', ours: `${fmt(cold.ms / 1000)} s`, baseline: '—', ratio: 1 });
  rows.push({
    section: 'turbo',
    measure: `warm build (${warmMisses.length} of ${tasks(warm.out).length} tasks re-ran)`,
    ours: `${fmt(warm.ms / 1000, 2)} s`,
    baseline: `cold ${fmt(cold.ms / 1000)} s`,
    ratio: warm.ms / cold.ms,
    target: 'nothing re-runs',
    met: warmMisses.length === 0,
  });
  rows.push({
    section: 'turbo',
    measure: `one-spec edit, ${edited.name} (${reran.length} of ${total.length} tasks re-ran)`,
    ours: `${fmt(edit.ms / 1000)} s`,
    baseline: `cold ${fmt(cold.ms / 1000)} s`,
    ratio: edit.ms / cold.ms,
    target: `only the ${edited.name} chain re-runs`,
    met: others.length === 0 && reran.some((t) => t.startsWith(`${edited.specPackage}:`)),
  });
  notes.push(`One-spec edit re-ran: ${reran.join(', ') || '(nothing)'}.`);
}
const tasks = (out) => [...new Set([...out.matchAll(/^(\S+:[\w:-]+): cache (?:hit|miss|bypass)/gm)].map((m) => m[1]))];
const missed = (out) => [...new Set([...out.matchAll(/^(\S+:[\w:-]+): cache (?:miss|bypass)/gm)].map((m) => m[1]))];

// ─── per-call overhead ───────────────────────────────────────────────────────────────────────────────────────
const startSandbox = () => spawnSandbox(path.join(root, 'packages', 'mock-server', 'dist', 'cli.js'));

async function benchOverhead() {
  const { createWecomClient } = await import('@scrm-openapi/wecom');
  const sandbox = await startSandbox();
  try {
    const base = sandbox.info.vendors.wecom;
    const { corpId, corpSecret } = sandbox.info.credentials.wecom;
    const PATH = '/cgi-bin/externalcontact/get_follow_user_list';
    // The client as shipped: defaults (token manager, retry policy, timeout, envelope check), except client-side
    // throttling, which would deliberately pace a tight loop to WeCom's documented limits.
    const wecom = createWecomClient({ corpId, corpSecret, baseUrl: base, throttle: false });
    const tokenRes = await (
      await fetch(`${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(corpSecret)}`)
    ).json();
    const url = `${base}${PATH}?access_token=${encodeURIComponent(tokenRes.access_token)}`;
    const raw = async () => {
      const res = await fetch(url);
      const body = await res.json();
      if (!res.ok || body.errcode !== 0) throw new Error(`raw call failed: ${res.status} ${body.errcode}`);
      return body;
    };
    const client = async () => {
      const { data, error } = await wecom.GET(PATH);
      if (error || !data) throw new Error('client call failed');
      return data;
    };
    // openapi-fetch on its own (the token passed by hand): the floor any openapi-fetch-based client starts from
    const createClient = (await import('openapi-fetch')).default;
    const plain = createClient({ baseUrl: base });
    const bare = async () => {
      const { data, error } = await plain.GET(PATH, { params: { query: { access_token: tokenRes.access_token } } });
      if (error || !data) throw new Error('openapi-fetch call failed');
      return data;
    };
    const calls = quick ? 300 : 2000;
    const rounds = quick ? 3 : 6;
    const paths = { raw, client, bare };
    for (let i = 0; i < 300; i++) for (const fn of Object.values(paths)) await fn();
    const spent = { raw: 0, client: 0, bare: 0 };
    for (let r = 0; r < rounds; r++) {
      // rotate which goes first so drift (JIT, GC, the sandbox warming up) hits every side alike
      const names = Object.keys(paths);
      const order = [...names.slice(r % 3), ...names.slice(0, r % 3)];
      for (const name of order) {
        const t = performance.now();
        for (let i = 0; i < calls; i++) await paths[name]();
        spent[name] += performance.now() - t;
      }
    }
    const n = calls * rounds;
    const us = (ms) => `${fmt((ms / n) * 1000, 0)} µs/call`;
    rows.push({
      section: 'overhead',
      measure: `WeCom client call, ${n.toLocaleString('en-US')} sequential GET get_follow_user_list`,
      ours: us(spent.client),
      baseline: `raw fetch ${us(spent.raw)}`,
      ratio: spent.client / spent.raw,
      target: '≤ 1.05×',
      met: spent.client / spent.raw <= 1.05,
    });
    rows.push({
      section: 'overhead',
      measure: 'context: openapi-fetch alone, token passed by hand',
      ours: us(spent.bare),
      baseline: `raw fetch ${us(spent.raw)}`,
      ratio: spent.bare / spent.raw,
    });
  } finally {
    sandbox.stop();
  }
}

// ─── bundle size ─────────────────────────────────────────────────────────────────────────────────────────────
async function benchBundle() {
  const esbuild = await import('esbuild');
  const bundle = async (contents) => {
    const result = await esbuild.build({
      stdin: { contents, resolveDir: here, loader: 'js' },
      bundle: true,
      minify: true,
      treeShaking: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    const bytes = result.outputFiles[0].contents;
    return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
  };
  // Each entry makes a client and one call, so tree-shaking keeps exactly what a real caller pulls in.
  const baseline = await bundle(
    `import createClient from 'openapi-fetch';\nconst c = createClient({ baseUrl: process.env.BASE_URL });\nc.GET('/x').then((r) => console.log(r.data));\n`,
  );
  // one client per vendor of the registry, made with its required credentials
  const clients = Object.fromEntries(
    vendors
      .filter((v) => v.clientPackage)
      .map((v) => [
        v.name,
        `import { ${v.factory} } from '${v.clientPackage}';\nconst c = ${v.factory}({ ${v.credentials
          .filter((c) => c.required)
          .map((c, i) => `${c.option}: process.env.${String.fromCharCode(65 + i)}`)
          .join(', ')} });`,
      ]),
  );
  for (const [vendor, head] of Object.entries(clients)) {
    const size = await bundle(`${head}\nc.GET('/x').then((r) => console.log(r.data));\n`);
    // the vendor's generated runtime profile on its own: what this vendor adds on top of the shared runtime
    const data = await bundle(`import { ${vendor}Profile as p } from '@scrm-openapi/${vendor}';\nconsole.log(p);\n`);
    const own = size.gz - baseline.gz;
    rows.push({
      section: 'bundle',
      measure: `${vendor} client (own code ${kb(own)} over openapi-fetch, of which the vendor profile ≈ ${kb(data.gz)})`,
      ours: kb(size.gz),
      baseline: `openapi-fetch ${kb(baseline.gz)}`,
      ratio: size.gz / baseline.gz,
      target: '≤ 5 kB gz of own code',
      met: own <= 5 * 1024,
    });
  }
  // the runtime is shared: all the clients in one bundle cost far less than one bundle per client
  const all = await bundle(
    `${Object.values(clients)
      .map((head, i) => head.replace('const c =', `const c${i} =`))
      .join('\n')}\n${Object.keys(clients)
      .map((_, i) => `c${i}.GET('/x').then((r) => console.log(r.data));`)
      .join('\n')}\n`,
  );
  rows.push({
    section: 'bundle',
    measure: `all ${Object.keys(clients).length} clients in one bundle (own code ${kb(all.gz - baseline.gz)} over openapi-fetch)`,
    ours: kb(all.gz),
    baseline: `openapi-fetch ${kb(baseline.gz)}`,
    ratio: all.gz / baseline.gz,
  });
}

// ─── tsc ─────────────────────────────────────────────────────────────────────────────────────────────────────
// WeCom typed calls and paging, and one typed call through every other vendor's client
const OTHERS = vendors.filter((v) => v.clientPackage && v.name !== 'wecom');
const WITH_CLIENTS = `import { createWecomClient } from '@scrm-openapi/wecom';
${OTHERS.map((v) => `import { ${v.factory} } from '${v.clientPackage}';`).join('\n')}

export async function main(): Promise<void> {
  const wecom = createWecomClient({ corpId: 'ww', corpSecret: 's' });
  const followers = await wecom.GET('/cgi-bin/externalcontact/get_follow_user_list');
  console.log(followers.data?.follow_user?.length);
  for await (const way of wecom.paginate('/cgi-bin/externalcontact/list_contact_way', { body: { limit: 100 } })) console.log(way.config_id);
${OTHERS.map(
  (v, i) => `
  const c${i} = ${v.factory}({ ${v.credentials
    .filter((c) => c.required)
    .map((c) => `${c.option}: 'x'`)
    .join(', ')} });
  console.log((await c${i}.GET('${parameterlessGet(bundledSpec(v))}')).data);`,
).join('\n')}
}
`;
const WITHOUT_CLIENTS = `export async function main(): Promise<void> {
  const token = (await (await fetch('https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww&corpsecret=s')).json()) as { access_token: string };
  const followers = (await (await fetch('https://qyapi.weixin.qq.com/cgi-bin/externalcontact/get_follow_user_list?access_token=' + token.access_token)).json()) as { follow_user?: string[] };
  console.log(followers.follow_user?.length);
  let cursor = '';
  do {
    const res = (await (await fetch('https://qyapi.weixin.qq.com/cgi-bin/externalcontact/list_contact_way', { method: 'POST', body: JSON.stringify({ limit: 100, cursor }) })).json()) as { contact_way?: { config_id?: string }[]; next_cursor?: string };
    for (const way of res.contact_way ?? []) console.log(way.config_id);
    cursor = res.next_cursor ?? '';
  } while (cursor);
${OTHERS.map((v) => `  console.log((await fetch('https://example.invalid/${v.name}')).status);`).join('\n')}
}
`;

async function benchTsc() {
  const dir = path.join(cache, 'tsc');
  mkdirSync(dir, { recursive: true });
  const tsconfig = (file) => ({
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types: ['node'],
      skipLibCheck: true,
      noEmit: true,
    },
    files: [file],
  });
  writeFileSync(path.join(dir, 'with.ts'), WITH_CLIENTS);
  writeFileSync(path.join(dir, 'without.ts'), WITHOUT_CLIENTS);
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(path.join(dir, 'tsconfig.with.json'), JSON.stringify(tsconfig('with.ts')));
  writeFileSync(path.join(dir, 'tsconfig.without.json'), JSON.stringify(tsconfig('without.ts')));
  const tsc = path.join(root, 'node_modules', 'typescript', 'lib', 'tsc.js');
  // the two configurations alternate, five runs each (one when --quick), and each row takes the median: a machine
  // that slows down or speeds up during the section then weighs on both sides alike
  const once = (config) => {
    // --expose-gc: tsc collects garbage before it reports "Memory used", so the figure is the live heap, not GC timing
    const { out, ms } = run(process.execPath, ['--expose-gc', tsc, '-p', path.join(dir, config), '--extendedDiagnostics']);
    return { ms, mem: Number(/Memory used:\s+(\d+)K/.exec(out)?.[1] ?? Number.NaN) * 1024 };
  };
  const runs = { without: [], with: [] };
  log('tsc: consumer without the clients and consumer with every client, alternately…');
  for (let i = 0; i < (quick ? 1 : 5); i++) {
    runs.without.push(once('tsconfig.without.json'));
    runs.with.push(once('tsconfig.with.json'));
  }
  const summary = (list) => ({ ms: median(list.map((r) => r.ms)), mem: median(list.map((r) => r.mem)) });
  const without = summary(runs.without);
  const withClients = summary(runs.with);
  rows.push({
    section: 'tsc',
    measure: 'tsc --noEmit, consumer of every client: wall time',
    ours: `${fmt(withClients.ms / 1000, 2)} s`,
    baseline: `plain fetch ${fmt(without.ms / 1000, 2)} s`,
    ratio: withClients.ms / without.ms,
    target: '≤ 1.3×',
    met: withClients.ms / without.ms <= 1.3,
  });
  rows.push({
    section: 'tsc',
    measure: 'tsc --noEmit, consumer of every client: memory',
    ours: `${fmt(withClients.mem / 2 ** 20)} MB`,
    baseline: `plain fetch ${fmt(without.mem / 2 ** 20)} MB`,
    ratio: withClients.mem / without.mem,
    target: '≤ 1.3×',
    met: withClients.mem / without.mem <= 1.3,
  });
}

// ─── callback verify + decrypt ───────────────────────────────────────────────────────────────────────────────
async function benchCallback() {
  const { WxBizMsgCrypt } = await import('@scrm-openapi/core/internal');
  const official = await import('@wecom/crypto');
  const token = 'QDG6eK';
  const encodingAESKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
  const corpId = 'wx5823bf96d3bd56c7';
  const ours = new WxBizMsgCrypt({ token, encodingAESKey, receiveId: corpId });
  const n = quick ? 2000 : 20_000;
  const inputs = Array.from({ length: n }, (_, i) => {
    const xml = `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>${1700000000 + i}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[wmXXXX${i}]]></ExternalUserID><State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE${i}]]></WelcomeCode></xml>`;
    const ciphertext = ours.encrypt(xml);
    const timestamp = String(1700000000 + i);
    const nonce = String(100000 + i);
    return { xml, ciphertext, timestamp, nonce, signature: ours.signature(timestamp, nonce, ciphertext) };
  });
  // Same inputs, same outcome: both sides must read every message back and agree on the signature.
  for (const x of inputs.slice(0, 50)) {
    if (official.getSignature(token, x.timestamp, x.nonce, x.ciphertext) !== x.signature) throw new Error('signatures disagree');
    if (official.decrypt(encodingAESKey, x.ciphertext).message !== x.xml) throw new Error('@wecom/crypto read a different message');
  }
  const runOurs = () => {
    let bytes = 0;
    for (const x of inputs) {
      ours.verify(x.signature, x.timestamp, x.nonce, x.ciphertext);
      bytes += ours.decrypt(x.ciphertext).length;
    }
    return bytes;
  };
  const runOfficial = () => {
    let bytes = 0;
    for (const x of inputs) {
      if (official.getSignature(token, x.timestamp, x.nonce, x.ciphertext) !== x.signature) throw new Error('bad signature');
      const { message, id } = official.decrypt(encodingAESKey, x.ciphertext);
      if (id !== corpId) throw new Error('bad receive id');
      bytes += message.length;
    }
    return bytes;
  };
  runOurs();
  runOfficial();
  const rounds = quick ? 2 : 5;
  let oursMs = 0;
  let officialMs = 0;
  for (let r = 0; r < rounds; r++) {
    const pair = r % 2 === 0 ? [runOurs, runOfficial] : [runOfficial, runOurs];
    for (const fn of pair) {
      const t = performance.now();
      fn();
      const ms = performance.now() - t;
      if (fn === runOurs) oursMs += ms;
      else officialMs += ms;
    }
  }
  const oursRate = (n * rounds) / (oursMs / 1000);
  const officialRate = (n * rounds) / (officialMs / 1000);
  rows.push({
    section: 'callback',
    measure: `WeCom callback verify + decrypt, ${n.toLocaleString('en-US')} messages × ${rounds}`,
    ours: `${fmt(oursRate, 0)} msg/s`,
    baseline: `@wecom/crypto ${fmt(officialRate, 0)} msg/s`,
    ratio: oursRate / officialRate,
    target: '≥ 1.0×',
    met: oursRate >= officialRate,
  });
}

// ─── paginate ────────────────────────────────────────────────────────────────────────────────────────────────
async function benchPaginate() {
  const { createWecomClient } = await import('@scrm-openapi/wecom');
  const TOTAL = 100_000;
  const PAGE = 100;
  const PATH = '/cgi-bin/externalcontact/list_contact_way';
  // A fake WeCom that builds each page on demand and keeps nothing, so any growth is the caller's.
  const fakeFetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname.endsWith('/cgi-bin/gettoken'))
      return Response.json({ errcode: 0, errmsg: 'ok', access_token: 'bench-token', expires_in: 7200 });
    const body = await request.json();
    const start = body.cursor ? Number(body.cursor) : 0;
    const size = Math.min(body.limit ?? PAGE, TOTAL - start);
    const contact_way = Array.from({ length: size }, (_, i) => ({ config_id: `cw${String(start + i).padStart(8, '0')}` }));
    const next = start + size;
    return Response.json({ errcode: 0, errmsg: 'ok', contact_way, next_cursor: next < TOTAL ? String(next) : '' });
  };
  const wecom = createWecomClient({ corpId: 'ww-bench', corpSecret: 'bench-secret', fetch: fakeFetch, throttle: false });
  const viaPaginate = async (sample) => {
    let count = 0;
    for await (const way of wecom.paginate(PATH, { body: { limit: PAGE } }, { pageSize: PAGE })) {
      if (way.config_id) count++;
      if (sample && count % 10_000 === 0) sample();
    }
    return count;
  };
  const viaPages = async () => {
    let count = 0;
    for await (const page of wecom.paginate(PATH, { body: { limit: PAGE } }, { pageSize: PAGE }).pages()) {
      for (const way of page.contact_way ?? []) if (way.config_id) count++;
    }
    return count;
  };
  const viaLoop = async () => {
    let count = 0;
    let cursor = '';
    do {
      const { data, error } = await wecom.POST(PATH, { body: { limit: PAGE, ...(cursor ? { cursor } : {}) } });
      if (error || !data) throw new Error('page failed');
      for (const way of data.contact_way ?? []) if (way.config_id) count++;
      cursor = data.next_cursor ?? '';
    } while (cursor);
    return count;
  };
  // memory: retained heap after a full GC, sampled every 10,000 items, against the heap before the walk
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const counted = await viaPaginate(() => {
    globalThis.gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  });
  if (counted !== TOTAL) throw new Error(`paginate() yielded ${counted} items, expected ${TOTAL}`);
  const growth = peak - before;
  rows.push({
    section: 'paginate',
    measure: `paginate() over ${TOTAL.toLocaleString('en-US')} items (${TOTAL / PAGE} pages): retained heap growth`,
    ours: `${fmt(growth / 2 ** 20, 2)} MB`,
    baseline: `heap before ${fmt(before / 2 ** 20)} MB`,
    ratio: peak / before,
    target: '≤ 20 MB growth',
    met: growth <= 20 * 2 ** 20,
  });
  const walks = { paginate: viaPaginate, pages: viaPages, loop: viaLoop };
  for (const fn of Object.values(walks)) await fn(); // warm every path before timing
  const rounds = quick ? 3 : 6;
  const spent = { paginate: 0, pages: 0, loop: 0 };
  for (let r = 0; r < rounds; r++) {
    const names = Object.keys(walks);
    for (const name of [...names.slice(r % 3), ...names.slice(0, r % 3)]) {
      const t = performance.now();
      const count = await walks[name]();
      spent[name] += performance.now() - t;
      if (count !== TOTAL) throw new Error(`${name} counted ${count}`);
    }
  }
  const rate = (ms) => `${fmt((TOTAL * rounds) / (ms / 1000), 0)} items/s`;
  rows.push({
    section: 'paginate',
    measure: `for await over paginate(), ${TOTAL.toLocaleString('en-US')} items × ${rounds}: throughput`,
    ours: rate(spent.paginate),
    baseline: `hand loop ${rate(spent.loop)}`,
    ratio: spent.loop / spent.paginate,
  });
  rows.push({
    section: 'paginate',
    measure: `for await over paginate().pages() (one await per page), same walk`,
    ours: rate(spent.pages),
    baseline: `hand loop ${rate(spent.loop)}`,
    ratio: spent.loop / spent.pages,
  });
}

async function benchSync() {
  const { startMockServer } = await import('@scrm-openapi/mock-server');
  const { createWecomClient } = await import('@scrm-openapi/wecom');
  const CUSTOMERS = 10_000;
  const PAGE = 100;
  // WeCom's 10,000 a minute and 150,000 an hour per API, scaled to 10 per 150 ms and 150 per 9 s (burst 15): one
  // call every 60 ms, long enough that the per-call latency and timer rounding are not what is measured
  const sandbox = await startMockServer({ vendors: ['wecom'], rateLimits: { timeScale: 400, limitScale: 1000 } });
  try {
    await sandbox.act('wecom', 'customers-bulk', { userid: 'bench_sync', count: CUSTOMERS });
    const wecom = createWecomClient({
      ...sandbox.credentials.wecom,
      baseUrl: `${sandbox.url}/wecom`,
      throttle: { rules: sandbox.rateLimits.wecom },
    });
    await wecom.GET('/cgi-bin/externalcontact/get_follow_user_list'); // the token first
    const started = performance.now();
    let synced = 0;
    for await (const _customer of wecom.paginate(
      '/cgi-bin/externalcontact/batch/get_by_user',
      { body: { userid_list: ['bench_sync'] } },
      { pageSize: PAGE },
    ))
      synced++;
    const elapsed = performance.now() - started;
    if (synced !== CUSTOMERS) throw new Error(`synced ${synced} of ${CUSTOMERS} customers`);
    const calls = Math.ceil(CUSTOMERS / PAGE);
    // GCRA: \`burst\` calls at once, then one every window / limit — the least time the slowest rule allows
    const minimum = Math.max(...sandbox.rateLimits.wecom.map((r) => Math.max(0, calls - (r.burst ?? 1)) * (r.intervalMs / r.limit)));
    const refused = Object.values(sandbox.stats().rateLimited).reduce((a, b) => a + b, 0);
    rows.push({
      section: 'sync',
      measure: `${CUSTOMERS.toLocaleString('en-US')} customers via batch/get_by_user (${calls} pages) under the enforced, time-scaled limit, throttled: elapsed`,
      ours: `${fmt(elapsed / 1000, 2)} s`,
      baseline: `minimum the limit allows ${fmt(minimum / 1000, 2)} s`,
      ratio: elapsed / minimum,
      target: '≤ 1.1×',
      met: elapsed / minimum <= 1.1,
    });
    rows.push({
      section: 'sync',
      measure: 'rate-limit answers (45009) during that sync',
      ours: String(refused),
      baseline: '0',
      ratio: refused === 0 ? 1 : Number.POSITIVE_INFINITY,
      target: '0',
      met: refused === 0,
    });
  } finally {
    await sandbox.close();
  }
}

// ─── provider ─────────────────────────────────────────────────────────────────────────────────────────────────
async function benchProvider() {
  const { createServer } = await import('node:http');
  const { createServer: createNetServer } = await import('node:net');
  const PROCESSES = 4;
  const CORPS = quick ? 200 : 1000;
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    notes.push('provider: skipped, no redis-server on PATH (apt-get install -y redis-server).');
    return;
  }
  const freePort = () =>
    new Promise((resolve) => {
      const server = createNetServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
  // a WeCom for providers on loopback: token requests take 50 ms and are counted (the corp ones per corp)
  const counts = { suite: 0, corp: new Map(), business: 0, mismatched: 0 };
  const tokenCorp = new Map();
  const vendor = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : {};
    res.setHeader('content-type', 'application/json');
    const later = (answer) => setTimeout(() => res.end(JSON.stringify(answer)), 50);
    if (url.pathname === '/cgi-bin/service/get_suite_token') {
      counts.suite++;
      return later({ errcode: 0, errmsg: 'ok', suite_access_token: `suite-token-${counts.suite}`, expires_in: 7200 });
    }
    if (url.pathname === '/cgi-bin/service/get_corp_token') {
      const n = (counts.corp.get(body.auth_corpid) ?? 0) + 1;
      counts.corp.set(body.auth_corpid, n);
      const token = `corp-token-${body.auth_corpid}-${n}`;
      tokenCorp.set(token, body.auth_corpid);
      return later({ access_token: token, expires_in: 7200 });
    }
    counts.business++;
    const owner = tokenCorp.get(url.searchParams.get('access_token'));
    if (owner !== url.searchParams.get('corp')) counts.mismatched++;
    res.end(
      JSON.stringify(owner ? { errcode: 0, errmsg: 'ok', follow_user: [owner] } : { errcode: 40014, errmsg: 'invalid access_token' }),
    );
  });
  vendor.keepAliveTimeout = 1000;
  await new Promise((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  const redisPort = await freePort();
  const redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  try {
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const { createClient } = await import('redis');
    const { createRedisTicketStore } = await import('@scrm-openapi/redis');
    const client = createClient({ url: redisUrl, socket: { reconnectStrategy: (n) => (n > 50 ? false : 100) } });
    client.on('error', () => {});
    await client.connect();
    const suiteId = 'wwbench-suite';
    // the receiver of the 指令回调 keeps the pushed ticket in Redis
    await createRedisTicketStore(client).set(suiteId, { value: 'bench-ticket', expiresAt: Date.now() + 30 * 60_000 });
    await client.close();
    const corps = Array.from({ length: CORPS }, (_, i) => `wwbench${String(i).padStart(4, '0')}`);
    const input = JSON.stringify({
      redisUrl,
      vendorUrl: `http://127.0.0.1:${vendor.address().port}`,
      suiteId,
      suiteSecret: 'bench-suite-secret',
      corps,
      startAt: Date.now() + 4000,
    });
    const worker = () =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [path.join(here, 'provider-worker.mjs'), input], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`provider worker exited ${code}`))));
      });
    const results = await Promise.all(Array.from({ length: PROCESSES }, worker));
    const failed = results.flatMap((r) => r.errors);
    if (failed.length > 0) throw new Error(`provider: calls failed: ${failed.join('; ')}`);
    const corpFetches = [...counts.corp.values()].reduce((a, b) => a + b, 0);
    const label = `${CORPS.toLocaleString('en-US')} corps × ${PROCESSES} processes, cold, through Redis`;
    rows.push({
      section: 'provider',
      measure: `corp-token fetches (get_corp_token), ${label}`,
      ours: String(corpFetches),
      baseline: `goal ${CORPS} (one per corp)`,
      ratio: corpFetches / CORPS,
      target: '1×',
      met: corpFetches === CORPS && counts.corp.size === CORPS,
    });
    rows.push({
      section: 'provider',
      measure: `suite-token fetches (get_suite_token), ${label}`,
      ours: String(counts.suite),
      baseline: 'goal 1',
      ratio: counts.suite,
      target: '1×',
      met: counts.suite === 1,
    });
    rows.push({
      section: 'provider',
      measure: `calls carrying another corp's token, of ${counts.business.toLocaleString('en-US')}`,
      ours: String(counts.mismatched),
      baseline: '0',
      ratio: counts.mismatched === 0 ? 1 : Number.POSITIVE_INFINITY,
      target: '0',
      met: counts.mismatched === 0,
    });
    const degraded = results.reduce((n, r) => n + r.degraded.filter((e) => e.startsWith('store-degraded')).length, 0);
    notes.push(
      `provider: ${degraded} times a process's Redis store gave up on a slow Redis answer (3 s) and went on from its own memory, where it fetches for itself.`,
    );
    notes.push(
      `provider: slowest process took ${fmt(Math.max(...results.map((r) => r.elapsedMs)) / 1000, 2)} s for its ${CORPS} cold calls (token requests answer after 50 ms).`,
    );
  } finally {
    redisServer.kill();
    vendor.closeAllConnections();
    await new Promise((resolve) => vendor.close(resolve));
  }
}

// ─── main ────────────────────────────────────────────────────────────────────────────────────────────────────
const benches = {
  turbo: benchTurbo,
  overhead: benchOverhead,
  bundle: benchBundle,
  tsc: benchTsc,
  callback: benchCallback,
  paginate: benchPaginate,
  sync: benchSync,
  provider: benchProvider,
};
if (!selected.includes('turbo')) {
  log('building (turbo run build)…');
  run(turboBin, ['run', 'build', '--output-logs=errors-only']);
}
const startedAt = new Date();
for (const name of SECTIONS.filter((s) => selected.includes(s))) {
  log(`${name}…`);
  await benches[name]();
}

const header = ['section', 'measure', 'ours', 'baseline (same run)', 'ratio', 'target', 'met'];
const lines = [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map(
    (r) =>
      `| ${r.section} | ${r.measure} | ${r.ours} | ${r.baseline} | ${fmt(r.ratio, 3)}× | ${r.target ?? '—'} | ${r.met === undefined ? '—' : r.met ? 'yes' : 'NO'} |`,
  ),
];
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || 'unknown';
const cpu = cpus();
const machine = [
  `- date: ${startedAt.toISOString()}; commit ${commit}${quick ? '; --quick' : ''}`,
  `- CPU: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}; memory ${fmt(totalmem() / 2 ** 30)} GiB (${fmt(freemem() / 2 ** 30)} GiB free at the end)`,
  `- OS: ${platform()} ${release()} ${arch()}; Node ${process.version}`,
];
const doc = `# Benchmark results

Written by \`npm run bench\` (bench/run.mjs). Every ratio is ours ÷ a baseline measured in the same run on the same
machine, except paginate throughput (hand loop time ÷ paginate() time: above 1 means paginate() is faster) and the
paginate heap row (heap after ÷ heap before). Numbers vary by machine; the ratios are what to compare.

## Machine

${machine.join('\n')}

## Results

${lines.join('\n')}

${notes.map((n) => `- ${n}`).join('\n')}
`;
if (!args.only) writeFileSync(path.join(here, 'RESULTS.md'), doc);
process.stdout.write(`${lines.join('\n')}\n\n${machine.join('\n')}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
if (args.only) log('partial run (--only): bench/RESULTS.md left as it was');
