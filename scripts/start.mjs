#!/usr/bin/env node
// `npm start` (after `turbo run build`): starts the sandbox, the demo and the docs on loopback and prints the URLs.
// Vendors whose credentials are set in the environment (or in .env — see .env.example) are used for real; the
// others run against the sandbox.
//
// Ports: DEMO_PORT (4000), SANDBOX_PORT (4010), DOCS_PORT (4020). A port that is taken stops the start with a message
// naming it and the variable that changes it — never a silent move to another port, which would leave the README's
// URLs pointing at some other server. `0` asks for any free port; the output says which one each service got and why.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { startMockServer } from '@scrm-openapi/mock-server';
import { serveDocs } from '../apps/docs/serve.mjs';
import { startDemo } from '../apps/demo/server.mjs';

const started = Number(process.env.SCRM_START_T0 ?? Date.now());
if (existsSync('.env')) process.loadEnvFile('.env');

const SERVICES = [
  { key: 'demo', variable: 'DEMO_PORT', fallback: 4000, zh: '演示', en: 'demo' },
  { key: 'sandbox', variable: 'SANDBOX_PORT', fallback: 4010, zh: '沙箱', en: 'sandbox' },
  { key: 'docs', variable: 'DOCS_PORT', fallback: 4020, zh: '文档', en: 'docs' },
];

/** The port a service asks for, and why (its default, or the variable that set it). */
function wanted(service) {
  const raw = process.env[service.variable];
  if (raw === undefined || raw === '') return { port: service.fallback, why: null };
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`npm start: ${service.variable}=${raw} 不是端口号（0–65535）/ is not a port number (0–65535)`);
    process.exit(1);
  }
  return { port, why: `${service.variable}=${raw}` };
}

/** Finds out whether the port can be listened on (0: which free port the system gives), without keeping it. */
const probe = (port) =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const got = server.address().port;
      server.close(() => resolve(got));
    });
  });

const ports = {};
const busy = [];
for (const service of SERVICES) {
  const { port, why } = wanted(service);
  try {
    ports[service.key] = { port: await probe(port), asked: port, why };
  } catch (error) {
    if (error?.code !== 'EADDRINUSE' && error?.code !== 'EACCES') throw error;
    busy.push({ service, port, why });
  }
}
if (busy.length) {
  for (const { service, port, why } of busy) {
    const alt = service.fallback + 1;
    console.error(
      [
        `npm start: ${service.zh}端口 ${port} 已被占用${why ? `（来自 ${why}）` : ''}。请先释放它，或换一个端口：${service.variable}=${alt} npm start（${service.variable}=0 表示任意空闲端口）。`,
        `npm start: the ${service.en} port ${port} is already in use${why ? ` (from ${why})` : ''}. Free it, or choose another: ${service.variable}=${alt} npm start (${service.variable}=0 picks any free port).`,
      ].join('\n'),
    );
  }
  process.exit(1);
}

const url = (key) => `http://127.0.0.1:${ports[key].port}`;
const sandbox = await startMockServer({
  port: ports.sandbox.port,
  callbackUrl: `${url('demo')}/wecom/callback`,
  links: { docs: url('docs'), demo: url('demo') },
});
const app = await startDemo({ port: ports.demo.port, sandbox, links: { docs: url('docs') } });
const docs = await serveDocs({ port: ports.docs.port });

const reason = (key) => {
  const p = ports[key];
  if (!p.why) return '默认 default';
  if (p.asked === 0) return `${p.why}：任意空闲端口 any free port`;
  return p.why;
};
const modes = Object.entries(app.config.vendors)
  .map(([v, c]) => `${v}=${c.mode}`)
  .join(' ');
console.log(`
scrm-openapi 已启动 is running (${((Date.now() - started) / 1000).toFixed(1)} s)

  演示 demo      ${app.url.padEnd(24)} 端口 port ${ports.demo.port} (${reason('demo')})
  文档 docs      ${docs.url.padEnd(24)} 端口 port ${ports.docs.port} (${reason('docs')})
  沙箱 sandbox   ${sandbox.url.padEnd(24)} 端口 port ${ports.sandbox.port} (${reason('sandbox')})
                 厂商 vendors: ${Object.keys(sandbox.credentials)
                   .map((v) => `/${v}`)
                   .join(' ')} · ${modes}

按 Ctrl-C 停止 · Ctrl-C to stop.`);

const stop = async () => {
  await Promise.allSettled([app.close(), sandbox.close(), docs.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
