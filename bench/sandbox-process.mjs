// Starts the sandbox CLI (`scrm-mock`) as a child process and reads the JSON it prints (URL, vendors, credentials):
// what the bench scripts measure against. Shared by bench/run.mjs and bench/sandbox.mjs.
import { spawn } from 'node:child_process';

/**
 * @param {string} cli path of the sandbox's `dist/cli.js` (or another build's, to compare)
 * @param {string[]} args further CLI flags (the port is always 0: a free one)
 */
export async function spawnSandbox(cli, args = []) {
  const child = spawn(process.execPath, [cli, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  const info = await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
    child.stdout.on('data', (chunk) => {
      text += chunk;
      try {
        resolve(JSON.parse(text));
      } catch {
        // not the whole JSON yet
      }
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(undefined);
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { info, child, stop };
}
