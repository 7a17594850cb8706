// `npm start` (scripts/start.mjs): a busy port stops it with a message naming the port and the variable that changes
// it (no silent move to another port); with free ports it says which port each service got and why, and all three
// answer — the sandbox's front page linking the docs and the demo.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

/** Runs start.mjs until `done(output)` or its exit; returns the output, the exit code and the child. */
function start(env, done = () => false) {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve) => {
    const check = () => done(output) && resolve({ output, code: null, child });
    child.stdout.on('data', (d) => {
      output += d;
      check();
    });
    child.stderr.on('data', (d) => {
      output += d;
      check();
    });
    child.on('exit', (code) => resolve({ output, code, child }));
  });
}
const occupy = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });

describe('npm start', () => {
  it('stops with a message naming the busy port and the variable that changes it', async () => {
    const busy = await occupy();
    const port = busy.address().port;
    try {
      const { output, code, child } = await start({ DEMO_PORT: '0', DOCS_PORT: '0', SANDBOX_PORT: String(port) }, (o) =>
        o.includes('Ctrl-C'),
      );
      if (code === null) {
        child.kill('SIGTERM'); // it started anyway, on another port
        await new Promise((r) => child.once('exit', r));
      }
      expect(code, output).toBe(1);
      expect(output).toContain(`沙箱端口 ${port} 已被占用（来自 SANDBOX_PORT=${port}）`);
      expect(output).toContain(`the sandbox port ${port} is already in use (from SANDBOX_PORT=${port})`);
      expect(output).toContain(`SANDBOX_PORT=0`);
      expect(output).not.toContain('scrm-openapi 已启动');
    } finally {
      busy.close();
    }
  });

  it('says which port each service got and why, and all three answer', async () => {
    const { output, child } = await start({ DEMO_PORT: '0', DOCS_PORT: '0', SANDBOX_PORT: '0' }, (o) => o.includes('Ctrl-C'));
    try {
      const url = (name) =>
        new RegExp(
          `${name}\\s+(http://127\\.0\\.0\\.1:\\d+)\\s+端口 port \\d+ \\(${name.split(' ')[1].toUpperCase()}_PORT=0：任意空闲端口 any free port\\)`,
        ).exec(output)?.[1];
      const demo = url('演示 demo');
      const docs = url('文档 docs');
      const sandbox = url('沙箱 sandbox');
      expect([demo, docs, sandbox].every(Boolean), output).toBe(true);
      expect((await fetch(`${demo}/api/config`)).status).toBe(200);
      expect((await fetch(`${docs}/index.html`)).status).toBe(200);
      const front = await (await fetch(`${sandbox}/`)).text();
      expect(front).toContain(`href="${docs}/index.html"`);
      expect(front).toContain(`href="${demo}"`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
