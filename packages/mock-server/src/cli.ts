// scrm-mock — starts the sandbox and prints its URL and working credentials (JSON on stdout).
import { parseArgs } from 'node:util';
import { FAULT_KINDS, startMockServer, type FaultKind } from './server.js';
import { VENDORS } from './spec.js';

const HELP = `scrm-mock — a local sandbox of the ${VENDORS.join(', ')} APIs

  --port <n>            port (default 4010; 0 picks a free one)
  --host <addr>         interface (default 127.0.0.1 — loopback only)
  --vendors <list>      comma-separated subset of ${VENDORS.join(',')}
  --seed <n>            seed of the generated data (default 1)
  --fault-rate <0..1>   share of requests answered with a random fault
  --faults <list>       fault kinds for --fault-rate (${FAULT_KINDS.join(',')})
  --token-ttl <s>       lifetime of issued tokens (default 7200)
  --callback-url <url>  where to POST signed, encrypted WeCom callbacks
  --validation <mode>   strict (default: no type coercion, as the vendors) or lenient
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    vendors: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'fault-rate': { type: 'string', default: '0' },
    faults: { type: 'string' },
    'token-ttl': { type: 'string', default: '7200' },
    'callback-url': { type: 'string' },
    validation: { type: 'string', default: 'strict' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
try {
  const server = await startMockServer({
    port: Number(values.port),
    host: values.host,
    vendors: values.vendors ? values.vendors.split(',') : undefined,
    seed: Number(values.seed),
    faults: { rate: Number(values['fault-rate']), kinds: values.faults ? (values.faults.split(',') as FaultKind[]) : undefined },
    tokenTtlSeconds: Number(values['token-ttl']),
    callbackUrl: values['callback-url'],
    validation: values.validation as 'strict' | 'lenient',
  });
  process.stdout.write(
    `${JSON.stringify({ url: server.url, vendors: Object.fromEntries((values.vendors?.split(',') ?? VENDORS).map((v) => [v, `${server.url}/${v}`])), credentials: server.credentials, callbacks: server.callbacks }, null, 2)}\n`,
  );
  const stop = () => server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`scrm-mock: ${(error as Error).message}\n`);
  process.exit(1);
}
