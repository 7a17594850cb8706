#!/usr/bin/env node
// Sandbox throughput with request validation on, side by side with Prism serving the same bundled spec.
// Prints requests per second for both and the ratio (ours / Prism). Not a test: numbers vary by machine.
//   node bench/sandbox.mjs [--seconds 5] [--concurrency 32]
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startMockServer } from '@scrm-openapi/mock-server';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '32' } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const PRISM_VERSION = '5.14.2'; // the newest Prism that runs on Node 20

function ensurePrism() {
  const dir = path.join(here, '.cache', 'prism');
  const bin = path.join(dir, 'node_modules', '.bin', 'prism');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    console.error(`installing @stoplight/prism-cli@${PRISM_VERSION} into bench/.cache (once)…`);
    execFileSync(
      'npm',
      ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', `@stoplight/prism-cli@${PRISM_VERSION}`],
      { stdio: 'inherit' },
    );
  }
  return bin;
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function waitFor(url, ms = 60_000) {
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

/** `concurrency` loops hitting the same valid request for `seconds`; returns requests per second and non-2xx count. */
async function load(makeRequest) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  let bad = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const res = await makeRequest();
        await res.arrayBuffer();
        if (!res.ok) bad++;
        done++;
      }
    }),
  );
  return { rps: done / seconds, bad };
}

const body = JSON.stringify({ type: 1, scene: 2, user: ['zhangsan'], remark: '基准测试', state: 'bench' });
const headers = { 'content-type': 'application/json' };

const ours = await startMockServer({ vendors: ['wecom'] });
const token = (
  await (
    await fetch(
      `${ours.url}/wecom/cgi-bin/gettoken?corpid=${ours.credentials.wecom.corpId}&corpsecret=${ours.credentials.wecom.corpSecret}`,
    )
  ).json()
).access_token;
const oursUrl = `${ours.url}/wecom/cgi-bin/externalcontact/add_contact_way?access_token=${token}`;

const prismPort = await freePort();
const prism = spawn(
  ensurePrism(),
  [
    'mock',
    path.join(here, '..', 'specs', 'wecom', 'dist', 'openapi.json'),
    '-p',
    String(prismPort),
    '-h',
    '127.0.0.1',
    '--errors',
    'false',
  ],
  { stdio: 'ignore' },
);
const prismUrl = `http://127.0.0.1:${prismPort}/cgi-bin/externalcontact/add_contact_way?access_token=${token}`;
await waitFor(`http://127.0.0.1:${prismPort}/`);

try {
  // warm both up
  await load.call(null, () => fetch(oursUrl, { method: 'POST', headers, body }));
  const a = await load(() => fetch(oursUrl, { method: 'POST', headers, body }));
  const b = await load(() => fetch(prismUrl, { method: 'POST', headers, body }));
  const rows = [
    ['server', 'requests/s', 'non-2xx'],
    ['scrm-openapi sandbox (ajv validation, state)', a.rps.toFixed(0), String(a.bad)],
    [`Prism ${PRISM_VERSION} (validation, examples)`, b.rps.toFixed(0), String(b.bad)],
  ];
  for (const r of rows) console.log(`${r[0].padEnd(48)} ${r[1].padStart(10)} ${r[2].padStart(8)}`);
  console.log(`ratio sandbox / Prism: ${(a.rps / b.rps).toFixed(2)}× (POST add_contact_way, ${concurrency} concurrent, ${seconds} s each)`);
} finally {
  prism.kill();
  await ours.close();
}
