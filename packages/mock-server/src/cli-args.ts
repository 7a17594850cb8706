// The command line of `scrm-mock`, checked: an unknown flag, a bad number or an unknown fault kind or vendor is an
// error (the CLI prints it with the usage text and exits 2) — never a stack trace, never silently ignored.
import { parseArgs } from 'node:util';
import { FAULT_KINDS, type FaultKind, type MockServerOptions } from './server.js';
import { VENDORS } from './spec.js';

export const USAGE = `scrm-mock — a local sandbox of the ${VENDORS.join(', ')} APIs

  --port <n>            port (default 4010; 0 picks a free one)
  --host <addr>         interface (default 127.0.0.1 — loopback only)
  --vendors <list>      comma-separated subset of ${VENDORS.join(',')}
  --seed <n>            seed of the generated data (default 1)
  --fault-rate <0..1>   share of requests answered with a random fault
  --faults <list>       fault kinds for --fault-rate (${FAULT_KINDS.join(',')})
  --token-ttl <s>       lifetime of issued tokens (default 7200)
  --callback-url <url>  where to POST the vendors' callbacks (signed and encrypted where the vendor does)
  --rate-limits         enforce each spec's x-scrm-rate-limits, answering as the vendor does
  --time-scale <n>      with --rate-limits: time runs n times faster (a 60 s window lasts 60/n s; default 1)
  --validation <mode>   strict (default: no type coercion, as the vendors) or lenient
  --help                this text
`;

export type CliResult = { help: true } | { options: MockServerOptions & { port: number } } | { error: string };

const integer = (name: string, text: string, min: number, max: number): number => {
  if (!/^-?\d+$/.test(text.trim())) throw new Error(`--${name} must be an integer (${min}–${max})`);
  const n = Number(text);
  if (n < min || n > max) throw new Error(`--${name} must be between ${min} and ${max}`);
  return n;
};

const number = (name: string, text: string, min: number, max: number, exclusiveMin = false): number => {
  const n = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(n) || n < min || (exclusiveMin && n === min) || n > max)
    throw new Error(`--${name} must be a number ${exclusiveMin ? 'above' : 'from'} ${min} ${exclusiveMin ? 'and up to' : 'to'} ${max}`);
  return n;
};

const list = <T extends string>(name: string, text: string, allowed: readonly T[]): T[] => {
  const items = text.split(',').map((s) => s.trim());
  const unknown = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (unknown.length || items.length === 0)
    throw new Error(`--${name}: unknown ${unknown.map((u) => JSON.stringify(u)).join(', ')}; choose from ${allowed.join(', ')}`);
  return items as T[];
};

/** Parses `scrm-mock`'s arguments (without the node and script paths). */
export function parseCli(argv: readonly string[]): CliResult {
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        vendors: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'fault-rate': { type: 'string', default: '0' },
        faults: { type: 'string' },
        'token-ttl': { type: 'string', default: '7200' },
        'callback-url': { type: 'string' },
        'rate-limits': { type: 'boolean', default: false },
        'time-scale': { type: 'string' },
        validation: { type: 'string', default: 'strict' },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) return { help: true };
    const callbackUrl = values['callback-url'];
    if (callbackUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(callbackUrl)) throw new Error('--callback-url must be an http(s) URL');
    if (values['time-scale'] !== undefined && !values['rate-limits']) throw new Error('--time-scale needs --rate-limits');
    return {
      options: {
        port: integer('port', values.port, 0, 65_535),
        host: values.host,
        vendors: values.vendors !== undefined ? list('vendors', values.vendors, VENDORS) : undefined,
        seed: integer('seed', values.seed, 0, 2 ** 31 - 1),
        faults: {
          rate: number('fault-rate', values['fault-rate'], 0, 1),
          kinds: values.faults !== undefined ? list<FaultKind>('faults', values.faults, FAULT_KINDS) : undefined,
        },
        tokenTtlSeconds: integer('token-ttl', values['token-ttl'], 1, 10 * 365 * 86_400),
        callbackUrl,
        validation: list('validation', values.validation, ['strict', 'lenient'] as const)[0],
        rateLimits: values['rate-limits']
          ? {
              enforce: true,
              timeScale: values['time-scale'] !== undefined ? number('time-scale', values['time-scale'], 0, 1_000_000, true) : 1,
            }
          : undefined,
      },
    };
  } catch (error) {
    // parseArgs' own errors (unknown option, missing value) carry a code; their message names the flag
    return { error: (error as Error).message };
  }
}
