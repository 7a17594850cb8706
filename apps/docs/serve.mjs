#!/usr/bin/env node
// Serves dist/ on loopback (sirv): `node serve.mjs [port]`, or `serveDocs()` from tests and `npm start`.
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');

export async function serveDocs({ port = 0, host = '127.0.0.1' } = {}) {
  const handler = sirv(dist, { dev: false, etag: true, extensions: ['html'] });
  const server = createServer((req, res) =>
    handler(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    }),
  );
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return { url: `http://${host}:${address.port}`, close: () => new Promise((r) => server.close(() => r())) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { url } = await serveDocs({ port: Number(process.argv[2] ?? 4020) });
  console.log(`docs: ${url}`);
}
