#!/usr/bin/env node
// `npm start` (after `turbo run build`): starts the sandbox, the demo and the docs on loopback and prints the URLs.
// Vendors whose credentials are set in the environment (or in .env — see .env.example) are used for real; the
// others run against the sandbox.
import { existsSync } from 'node:fs';
import { startMockServer } from '@scrm-openapi/mock-server';
import { serveDocs } from '../apps/docs/serve.mjs';
import { startDemo } from '../apps/demo/server.mjs';

const started = Number(process.env.SCRM_START_T0 ?? Date.now());
if (existsSync('.env')) process.loadEnvFile('.env');
const port = (name, fallback) => Number(process.env[name] || fallback);

/** Listens on the preferred port, or on a free one when it is taken. */
async function listen(start, preferred) {
  try {
    return await start(preferred);
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    return start(0);
  }
}

const demoPort = port('DEMO_PORT', 4000);
// the demo's port must be known before the sandbox starts (it posts callbacks there), so settle it first
const demo = await listen((p) => startDemo({ port: p, sandbox: undefined }), demoPort);
await demo.close();
const sandbox = await listen((p) => startMockServer({ port: p, callbackUrl: `${demo.url}/wecom/callback` }), port('SANDBOX_PORT', 4010));
const app = await startDemo({ port: Number(new URL(demo.url).port), sandbox });
const docs = await listen((p) => serveDocs({ port: p }), port('DOCS_PORT', 4020));

const modes = Object.entries(app.config.vendors)
  .map(([v, c]) => `${v}=${c.mode}`)
  .join(' ');
console.log(`
scrm-openapi is running (${((Date.now() - started) / 1000).toFixed(1)} s)

  demo     ${app.url}
  docs     ${docs.url}
  sandbox  ${sandbox.url}   (vendors under ${Object.keys(sandbox.credentials)
    .map((v) => `/${v}`)
    .join(' ')}; ${modes})

Ctrl-C to stop.`);

const stop = async () => {
  await Promise.allSettled([app.close(), sandbox.close(), docs.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
