#!/usr/bin/env node
// Packed-package smoke test: pack every public package, install the tarballs into a throw-away project outside the
// workspace, and check what a consumer does — ESM import, require() of the CommonJS build, tsc with moduleResolution
// node16 and bundler, and a call against the packed sandbox. Then the three consumer projects of consumers/
// (NestJS-style CommonJS, Node ESM, esbuild bundle) are copied under that project, so that they resolve the same
// installed tarballs, compiled with tsc --strict and run against the packed sandbox. Run after `turbo run build`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledSpec, parameterlessGet, vendors } from '@scrm-openapi/vendors';
import { enginesExcluding, oldestSupportedNode } from './check-engines.mjs';
import { publicPackages } from './check-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(path.join(tmpdir(), 'scrm-smoke-'));
const tarballs = path.join(work, 'tarballs');
const project = path.join(work, 'consumer');
mkdirSync(tarballs);
mkdirSync(project);
const sh = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env } });
const rootDevDependency = (name) => JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies[name];
let failed = 0;
let passed = 0;
const check = (name, fn) => {
  try {
    fn();
    passed++;
    console.log(`  ✓ ${name}`);
  } catch (e) {
    failed++;
    console.error(`  ✗ ${name}\n${String(e.stdout ?? '')}${String(e.stderr ?? e.message)}`.slice(0, 3000));
  }
};

console.log(`smoke: packing into ${tarballs}`);
const packages = publicPackages();
const files = {};
for (const { dir, pkg } of packages) {
  const out = sh('npm', ['pack', '--pack-destination', tarballs, '--json', '--ignore-scripts'], path.join(root, dir));
  files[pkg.name] = `file:${path.join(tarballs, JSON.parse(out)[0].filename)}`;
}
writeFileSync(
  path.join(project, 'package.json'),
  JSON.stringify(
    {
      name: 'scrm-smoke-consumer',
      private: true,
      type: 'module',
      dependencies: { ...files, redis: '6.3.1', typescript: '5.9.3', '@types/node': '20.19.43', esbuild: rootDevDependency('esbuild') },
      overrides: files,
    },
    null,
    2,
  ),
);
console.log('smoke: installing the tarballs into a throw-away project');
sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], project);

// what a user installs runs on the oldest Node we support: no dependency of the packed packages whose engines
// exclude it (npm would warn on install). The repository's own overrides do not reach users, so this looks at the
// consumer's tree, not ours (mock-server pins light-my-request 6.6.0 for this: 6.8 pulls cookie 2, Node ≥ 22).
check('the installed dependencies all support the oldest Node we support (engines)', () => {
  const node = oldestSupportedNode(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  const problems = enginesExcluding(JSON.parse(readFileSync(path.join(project, 'package-lock.json'), 'utf8')), node);
  if (problems.length) throw new Error(problems.map((p) => `${p.name}@${p.version} needs node ${p.range}`).join('\n'));
});

// every vendor of the registry, with the factories its package must export
const CLIENTS = vendors.filter((v) => v.clientPackage);
const id = (v) => v.name.replace(/-/g, '_');
writeFileSync(
  path.join(project, 'esm.mjs'),
  `import assert from 'node:assert/strict';
${CLIENTS.map((v) => `import * as ${id(v)} from '${v.clientPackage}';\nimport * as ${id(v)}Callback from '${v.clientPackage}/callback';`).join('\n')}
import * as core from '@scrm-openapi/core';
import * as coreInternal from '@scrm-openapi/core/internal';
import * as redis from '@scrm-openapi/redis';
import * as mock from '@scrm-openapi/mock-server';
${CLIENTS.map((v) => `assert.equal(typeof ${id(v)}.${v.factory}, 'function');\nassert.equal(typeof ${id(v)}Callback.${v.callbackFactory}, 'function');`).join('\n')}
assert.equal(typeof core.unwrap, 'function');
assert.equal(typeof coreInternal.createScrmClient, 'function');
assert.equal(typeof redis.createRedisTokenStore, 'function');
assert.equal(typeof mock.startMockServer, 'function');
`,
);
writeFileSync(
  path.join(project, 'require.cjs'),
  `const assert = require('node:assert/strict');
${CLIENTS.map((v) => `assert.equal(typeof require('${v.clientPackage}').${v.factory}, 'function');\nassert.equal(typeof require('${v.clientPackage}/callback').${v.callbackFactory}, 'function');`).join('\n')}
assert.equal(typeof require('@scrm-openapi/core').unwrap, 'function');
assert.equal(typeof require('@scrm-openapi/core/internal').createScrmClient, 'function');
assert.equal(typeof require('@scrm-openapi/redis').createRedisTokenStore, 'function');
assert.equal(typeof require('@scrm-openapi/mock-server').startMockServer, 'function');
// each from its CommonJS build (dist/cjs), not through require() of the ES module build
for (const id of ${JSON.stringify([
    '@scrm-openapi/core',
    '@scrm-openapi/core/internal',
    '@scrm-openapi/core/testing',
    '@scrm-openapi/redis',
    '@scrm-openapi/mock-server',
    ...CLIENTS.flatMap((v) => [v.clientPackage, `${v.clientPackage}/callback`]),
  ])})
  assert.match(require.resolve(id), /[\\/]dist[\\/]cjs[\\/]/, id);
`,
);
writeFileSync(
  path.join(project, 'consumer.ts'),
  `import { createWecomClient, unwrap, type AddContactWayRequest, type WecomErrorCode } from '@scrm-openapi/wecom';
import { createWecomCallback } from '@scrm-openapi/wecom/callback';
${CLIENTS.filter((v) => v.name !== 'wecom')
  .map((v) => `import { ${v.factory} } from '${v.clientPackage}';`)
  .join('\n')}
import { createRedisTokenStore } from '@scrm-openapi/redis';
import { startMockServer } from '@scrm-openapi/mock-server';

export async function main(): Promise<string> {
  const sandbox = await startMockServer();
  const wecom = createWecomClient({ ...sandbox.credentials.wecom, baseUrl: \`\${sandbox.url}/wecom\` });
  const body: AddContactWayRequest = { type: 1, scene: 2, user: ['zhangsan'] };
  const { config_id } = unwrap(await wecom.POST('/cgi-bin/externalcontact/add_contact_way', { body }));
  const code: WecomErrorCode = 42001;
  void code;
  void createWecomCallback;
${CLIENTS.filter((v) => v.name !== 'wecom')
  .map((v) => `  void ${v.factory};`)
  .join('\n')}
  void createRedisTokenStore;
  await sandbox.close();
  return config_id ?? '';
}
`,
);
for (const resolution of ['node16', 'bundler']) {
  writeFileSync(
    path.join(project, `tsconfig.${resolution}.json`),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: resolution === 'node16' ? 'Node16' : 'ESNext',
        moduleResolution: resolution === 'node16' ? 'Node16' : 'Bundler',
        lib: ['ES2023', 'ESNext.Disposable', 'DOM'],
        types: ['node'],
        skipLibCheck: false,
      },
      files: ['consumer.ts'],
    }),
  );
}
writeFileSync(
  path.join(project, 'call.mjs'),
  `import assert from 'node:assert/strict';
import { startMockServer } from '@scrm-openapi/mock-server';
${CLIENTS.map((v) => `import { ${v.factory} } from '${v.clientPackage}';`).join('\n')}
import { unwrap } from '@scrm-openapi/wecom';
const sandbox = await startMockServer();
const wecom = createWecomClient({ ...sandbox.credentials.wecom, baseUrl: sandbox.url + '/wecom' });
const { config_id } = unwrap(await wecom.POST('/cgi-bin/externalcontact/add_contact_way', { body: { type: 1, scene: 2, user: ['zhangsan'] } }));
const { contact_way } = unwrap(await wecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id } }));
assert.equal(contact_way.config_id, config_id);
${CLIENTS.map(
  (v) => `{
  const client = ${v.factory}({ ...sandbox.credentials[${JSON.stringify(v.name)}], baseUrl: sandbox.url + '/${v.name}' });
  const { error, response } = await client.GET(${JSON.stringify(parameterlessGet(bundledSpec(v)))});
  assert.equal(error, undefined, ${JSON.stringify(v.name)} + ': ' + JSON.stringify(error));
  assert.equal(response.status, 200);
}`,
).join('\n')}
await sandbox.close();
`,
);

console.log(`smoke: checks (node ${process.version})`);
check('ESM import of every package and subpath', () => sh(process.execPath, ['esm.mjs'], project));
check('require() of every package (their CommonJS build)', () => sh(process.execPath, ['require.cjs'], project));
check('tsc, moduleResolution node16', () => sh(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.node16.json'], project));
check('tsc, moduleResolution bundler', () =>
  sh(path.join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.bundler.json'], project),
);
check('a call against the packed sandbox', () => sh(process.execPath, ['call.mjs'], project));

// consumers/<name>: its own package.json and tsconfig.json, resolving the tarballs installed in the project above
const tsc = path.join(project, 'node_modules', '.bin', 'tsc');
const consumer = (name) => {
  const dir = path.join(project, 'consumers', name);
  cpSync(path.join(root, 'consumers', name), dir, {
    recursive: true,
    filter: (from) => !/[\\/](node_modules|dist)$/.test(from),
  });
  return dir;
};
{
  const dir = consumer('nest-cjs');
  check('consumers/nest-cjs: tsc --strict (module commonjs, moduleResolution node) and a run', () => {
    sh(tsc, ['-p', 'tsconfig.json'], dir);
    sh(process.execPath, ['dist/main.js'], dir);
  });
}
{
  const dir = consumer('node-esm');
  check('consumers/node-esm: tsc --strict (nodenext) and a run, with the CommonJS build beside it', () => {
    sh(tsc, ['-p', 'tsconfig.json'], dir);
    sh(process.execPath, ['dist/main.js'], dir);
  });
}
{
  const dir = consumer('esbuild');
  check('consumers/esbuild: tsc --strict (moduleResolution bundler), an esbuild bundle and a run', () => {
    sh(tsc, ['-p', 'tsconfig.json'], dir);
    const scripts = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts;
    const [, ...args] = scripts.build.split(' ');
    sh(path.join(project, 'node_modules', '.bin', 'esbuild'), [...args, '--log-level=warning'], dir);
    const bundle = readFileSync(path.join(dir, 'dist', 'main.js'), 'utf8');
    if (/from ["']@scrm-openapi\/(wecom|jijyun|core)["']/.test(bundle)) throw new Error('the clients were not bundled');
    sh(process.execPath, ['dist/main.js'], dir);
  });
}
console.log(`smoke: ${passed} passed, ${failed} failed (${readdirSync(tarballs).length} tarballs)`);
rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
