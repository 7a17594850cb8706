// scrm-mock — starts the sandbox and prints its URL and working credentials (JSON on stdout). A bad command line
// gets its message and the usage text on stderr, and exit code 2.
import { parseCli, USAGE } from './cli-args.js';
import { startMockServer } from './server.js';
import { VENDORS } from './spec.js';

const parsed = parseCli(process.argv.slice(2));
if ('help' in parsed) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if ('error' in parsed) {
  process.stderr.write(`scrm-mock: ${parsed.error}\n\n${USAGE}`);
  process.exit(2);
}
const { options } = parsed;
try {
  const server = await startMockServer(options);
  const served = options.vendors ?? VENDORS;
  process.stdout.write(
    `${JSON.stringify(
      {
        url: server.url,
        vendors: Object.fromEntries(served.map((v) => [v, `${server.url}/${v}`])),
        credentials: server.credentials,
        callbacks: server.callbacks,
        ...(options.rateLimits ? { rateLimits: server.rateLimits } : {}),
      },
      null,
      2,
    )}\n`,
  );
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`scrm-mock: ${(error as Error).message}\n`);
  process.exit(1);
}
