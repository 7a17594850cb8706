#!/usr/bin/env node
// Runs the Redocly CLI with the given arguments, minus the "Node.js 20 support is ending" box it prints to stderr on
// every start under Node 20 (no flag or variable turns it off). A build runs redocly eight times (lint and bundle of
// four specs) and `npm test` sixteen, so the box drowned the output. Nothing is lost: Node 20.19 is our supported
// floor (package.json engines), and a Redocly release that needs Node 22 fails scripts/check-engines.mjs.
// Everything else — other stderr lines, stdout, the exit code — passes through unchanged.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const pkg = require.resolve('@redocly/cli/package.json');
const cli = path.join(path.dirname(pkg), require(pkg).bin.redocly);

const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: ['inherit', 'inherit', 'pipe'] });

// a box is held back from its top border to its bottom one, then dropped if it is the Node 20 notice
let box = null;
const lines = createInterface({ input: child.stderr, crlfDelay: Number.POSITIVE_INFINITY });
lines.on('line', (line) => {
  if (box === null && line.includes('╔')) box = [];
  if (box === null) {
    process.stderr.write(`${line}\n`);
    return;
  }
  box.push(line);
  if (!line.includes('╚')) return;
  if (!box.some((l) => /Node\.js 20\b/.test(l))) process.stderr.write(`${box.join('\n')}\n`);
  box = null;
});
lines.on('close', () => {
  if (box) process.stderr.write(`${box.join('\n')}\n`);
});
child.on('close', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
