#!/usr/bin/env node
// Sandbox throughput with request validation on, side by side with Prism serving the same bundled spec, and written
// to bench/SANDBOX.md. Not a test: numbers vary by machine and by what else runs on it (the load average is printed
// beside every measure).
//   node bench/sandbox.mjs [--seconds 5] [--rounds 5] [--warmup 2] [--concurrency 32] [--no-write]
//                          [--sandbox path/to/cli.js]   (another build of the sandbox, e.g. one from before a change)
//
// Fair by construction:
// - both servers run in their own process, and so does the load generator (autocannon, installed once into
//   bench/.cache like Prism): neither server shares its CPU time with the client that loads it;
// - the same request (POST add_contact_way, a valid body, validation on) over `concurrency` keep-alive connections;
// - every round starts a fresh sandbox (its state from the seed, so the contact ways created by earlier rounds do
//   not weigh on later ones) and warms both servers up before measuring; the rounds alternate which server goes
//   first; the result is the median of the rounds;
// - every answer counts only if it is right: the sandbox's own counters must show each request applied (validated,
//   authenticated, stored), and Prism's answers must be 2xx with the spec's example.
import { spawnSandbox } from './sandbox-process.mjs';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32' },
    'no-write': { type: 'boolean', default: false },
    sandbox: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const concurrency = Number(values.concurrency);
const PRISM_VERSION = '5.14.2'; // the newest Prism that runs on Node 20
const AUTOCANNON_VERSION = '9.0.0';

/** A command-line tool installed once into bench/.cache/<dir> (never a dependency of the repository). */
function ensureTool(dir, pkg, version, bin) {
  const prefix = path.join(here, '.cache', dir);
  const file = path.join(prefix, 'node_modules', ...bin.split('/'));
  if (!existsSync(file)) {
    mkdirSync(prefix, { recursive: true });
    console.error(`installing ${pkg}@${version} into bench/.cache (once)…`);
    execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${version}`], {
      stdio: 'inherit',
    });
  }
  return file;
}
const prismBin = ensureTool('prism', '@stoplight/prism-cli', PRISM_VERSION, '.bin/prism');
const autocannonBin = ensureTool('autocannon', 'autocannon', AUTOCANNON_VERSION, 'autocannon/autocannon.js');

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function waitFor(url, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not come up`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

const load1 = () => os.loadavg()[0];
/**
 * CPU time (s) a process has used, from /proc (Linux; undefined elsewhere). Requests per CPU-second of the server
 * hardly depend on what else runs on the machine, unlike requests per second: the steadier figure on a shared one.
 */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  } catch {
    return 100;
  }
})();
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime (fields 14 and 15 of the line)
  } catch {
    return undefined;
  }
}
/** Runs `work`, returning its result with the requests per CPU-second of process `pid` while it ran. */
async function withCpu(pid, work) {
  const before = cpuSeconds(pid);
  const r = await work();
  const after = cpuSeconds(pid);
  return { ...r, perCpu: before === undefined || after === undefined || after === before ? undefined : r.total / (after - before) };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const body = JSON.stringify({ type: 1, scene: 2, user: ['zhangsan'], remark: '基准测试', state: 'bench' });

/** autocannon in its own process: POSTs `body` to `url` for `secs` seconds; requests per second and non-2xx count. */
function autocannon(url, secs) {
  return new Promise((resolve, reject) => {
    const args = [autocannonBin, '-j', '-c', String(concurrency), '-d', String(secs), '-m', 'POST'];
    args.push('-H', 'content-type=application/json', '-b', body, url);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const r = JSON.parse(out);
      resolve({ rps: r.requests.total / r.duration, total: r.requests.total, bad: r.non2xx + r.errors + r.timeouts });
    });
  });
}

/** A fresh sandbox process serving WeCom (validation strict, the default), with a token for the bench request. */
async function startSandbox() {
  const cli = values.sandbox ? path.resolve(values.sandbox) : path.join(root, 'packages', 'mock-server', 'dist', 'cli.js');
  const { info, child, stop } = await spawnSandbox(cli, ['--vendors', 'wecom']);
  const { corpId, corpSecret } = info.credentials.wecom;
  const token = (await (await fetch(`${info.vendors.wecom}/cgi-bin/gettoken?corpid=${corpId}&corpsecret=${corpSecret}`)).json())
    .access_token;
  const applied = async () => (await (await fetch(`${info.url}/_control/stats`)).json()).applied['wecom.addContactWay'] ?? 0;
  return { url: `${info.vendors.wecom}/cgi-bin/externalcontact/add_contact_way?access_token=${token}`, pid: child.pid, stop, applied };
}

const prismPort = await freePort();
const prism = spawn(
  prismBin,
  ['mock', path.join(root, 'specs', 'wecom', 'dist', 'openapi.json'), '-p', String(prismPort), '-h', '127.0.0.1', '--errors', 'false'],
  { stdio: 'ignore' },
);
const prismUrl = `http://127.0.0.1:${prismPort}/cgi-bin/externalcontact/add_contact_way?access_token=bench`;
const measures = [];
const pair = (r) => ['sandbox', 'prism'].map((s) => measures.find((m) => m.server === s && m.round === r));
try {
  await waitFor(`http://127.0.0.1:${prismPort}/`);
  // Prism answers the valid request with the spec's example (and refuses an invalid one with 422: validation is on)
  const check = await fetch(prismUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const checked = await check.json();
  if (check.status !== 200 || checked.errcode !== 0) throw new Error(`Prism answered ${check.status} ${JSON.stringify(checked)}`);
  const refused = await fetch(prismUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"x"}' });
  if (refused.status !== 422) throw new Error(`Prism did not validate the body (answered ${refused.status} to an invalid one)`);
  await autocannon(prismUrl, warmup);

  for (let round = 0; round < rounds; round++) {
    const sandbox = await startSandbox();
    try {
      await autocannon(sandbox.url, warmup);
      const measureSandbox = async () => {
        const warmed = await sandbox.applied();
        const loadBefore = load1();
        const r = await withCpu(sandbox.pid, () => autocannon(sandbox.url, seconds));
        const applied = (await sandbox.applied()) - warmed;
        // every answered request must have been applied: validated, authenticated and stored, errcode 0
        measures.push({ server: 'sandbox', round, ...r, bad: r.bad + Math.max(0, r.total - applied), load: [loadBefore, load1()] });
      };
      const measurePrism = async () => {
        const loadBefore = load1();
        const r = await withCpu(prism.pid, () => autocannon(prismUrl, seconds));
        measures.push({ server: 'prism', round, ...r, load: [loadBefore, load1()] });
      };
      if (round % 2 === 0) {
        await measureSandbox();
        await measurePrism();
      } else {
        await measurePrism();
        await measureSandbox();
      }
    } finally {
      await sandbox.stop();
    }
    const [a, b] = pair(round);
    console.error(
      `round ${round + 1}/${rounds}: sandbox ${a.rps.toFixed(0)}/s, Prism ${b.rps.toFixed(0)}/s, ratio ${(a.rps / b.rps).toFixed(2)}×${a.perCpu && b.perCpu ? `; per CPU-second ${(a.perCpu / b.perCpu).toFixed(2)}×` : ''} (load ${a.load[0].toFixed(1)})`,
    );
  }
} finally {
  prism.kill();
}

const of = (server) => measures.filter((m) => m.server === server);
const ours = median(of('sandbox').map((m) => m.rps));
const theirs = median(of('prism').map((m) => m.rps));
const perRound = Array.from({ length: rounds }, (_, r) => pair(r)[0].rps / pair(r)[1].rps);
const hasCpu = measures.every((m) => m.perCpu !== undefined);
const oursCpu = hasCpu ? median(of('sandbox').map((m) => m.perCpu)) : undefined;
const theirsCpu = hasCpu ? median(of('prism').map((m) => m.perCpu)) : undefined;
const perRoundCpu = hasCpu ? Array.from({ length: rounds }, (_, r) => pair(r)[0].perCpu / pair(r)[1].perCpu) : [];
const loads = measures.flatMap((m) => m.load);
const bad = (server) => of(server).reduce((n, m) => n + m.bad, 0);
const range = (xs) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
const times = (xs) => xs.map((x) => `${x.toFixed(2)}×`).join(', ');
const cores = os.cpus().length;
const loadText = `load average (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${cores} cores`;
const cpuCell = (server, value) => (value === undefined ? '—' : `${value.toFixed(0)} (${range(of(server).map((m) => m.perCpu))})`);

const rows = [
  ['server', 'requests/s (median)', 'range', 'requests per CPU-second (range)', 'wrong or failed'],
  [
    'scrm-openapi sandbox (ajv validation, state)',
    ours.toFixed(0),
    range(of('sandbox').map((m) => m.rps)),
    cpuCell('sandbox', oursCpu),
    String(bad('sandbox')),
  ],
  [
    `Prism ${PRISM_VERSION} (validation, examples)`,
    theirs.toFixed(0),
    range(of('prism').map((m) => m.rps)),
    cpuCell('prism', theirsCpu),
    String(bad('prism')),
  ],
];
const widths = [46, 20, 12, 32, 16];
for (const r of rows) console.log(r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' '));
const ratioText = `${(ours / theirs).toFixed(2)}× (of the medians; per round ${times(perRound)})`;
const cpuRatioText = hasCpu ? `${(oursCpu / theirsCpu).toFixed(2)}× (per round ${times(perRoundCpu)})` : 'not measured (no /proc)';
console.log(`throughput ratio sandbox / Prism: ${ratioText}`);
console.log(`requests per CPU-second, sandbox / Prism: ${cpuRatioText}`);
console.log(`POST add_contact_way, ${concurrency} connections, ${rounds} rounds of ${seconds} s, ${loadText}`);

if (bad('sandbox') + bad('prism') > 0) {
  console.error('some requests were wrong or failed: the figures above do not measure the intended request');
  process.exitCode = 1;
}

// a build other than this checkout's is measured for comparison, never written as the result
if (!values['no-write'] && !values.sandbox) {
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const doc = `# Sandbox throughput

Written by \`npm run bench:sandbox\` (bench/sandbox.mjs): the sandbox and Prism ${PRISM_VERSION} serve the bundled WeCom spec,
each in its own process, and autocannon ${AUTOCANNON_VERSION} (a third process) POSTs the same valid \`add_contact_way\`
request over ${concurrency} keep-alive connections, request validation on in both. Each of the ${rounds} rounds starts a
fresh sandbox, warms both servers up for ${warmup} s and measures each for ${seconds} s, alternating which goes first;
the figures are the medians of the rounds. A request counts as wrong when it is not 2xx or, for the sandbox, when its
counters do not show it applied (validated, authenticated, stored with errcode 0).

Numbers vary by machine and by what else runs on it: the load average is the machine's, read before and after each
measure. Requests per CPU-second (the requests a server answered divided by the CPU time its process used meanwhile)
depend much less on the machine's load than requests per second do, and are the steadier comparison on a shared
machine.

## Machine

- date: ${new Date().toISOString()}; commit ${commit}
- CPU: ${os.cpus()[0]?.model ?? 'unknown'} × ${cores}; ${loadText}
- OS: ${os.platform()} ${os.release()} ${os.arch()}; Node ${process.version}

## Results

| server | requests/s (median) | range over the rounds | requests per CPU-second (range) | wrong or failed |
|---|---|---|---|---|
${rows
  .slice(1)
  .map((r) => `| ${r.join(' | ')} |`)
  .join('\n')}

- **Throughput ratio sandbox / Prism: ${ratioText}.**
- Requests per CPU-second, sandbox / Prism: ${cpuRatioText}.

| round | server | requests/s | requests per CPU-second | load before → after |
|---|---|---|---|---|
${measures
  .map(
    (m) =>
      `| ${m.round + 1} | ${m.server} | ${m.rps.toFixed(0)} | ${m.perCpu === undefined ? '—' : m.perCpu.toFixed(0)} | ${m.load[0].toFixed(2)} → ${m.load[1].toFixed(2)} |`,
  )
  .join('\n')}
`;
  writeFileSync(path.join(here, 'SANDBOX.md'), doc);
}
