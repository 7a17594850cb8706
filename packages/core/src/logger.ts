/**
 * Logging. Any pino-compatible logger works (`logger.debug(obj, msg)`), and so does `console`.
 * Every object handed to the logger has already been through the redactor.
 */

type LogFn = (obj: Record<string, unknown>, msg?: string) => void;

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

/** An event of the client's life, passed to the logger and to `onEvent`. */
export type ScrmEvent =
  | { type: 'request'; vendor: string; operation?: string | undefined; method: string; path: string; attempt: number }
  | {
      type: 'response';
      vendor: string;
      operation?: string | undefined;
      method: string;
      path: string;
      attempt: number;
      status: number;
      code?: number | string | undefined;
      durationMs: number;
    }
  | {
      type: 'retry';
      vendor: string;
      operation?: string | undefined;
      method: string;
      path: string;
      attempt: number;
      reason: string;
      delayMs: number;
    }
  | { type: 'token-refresh'; vendor: string; reason: 'cold' | 'expiring' | 'invalidated'; durationMs: number; ok: boolean }
  | { type: 'throttle-wait'; vendor: string; operation?: string | undefined; method: string; path: string; attempt: number; waitMs: number }
  | { type: 'store-degraded' | 'store-recovered'; vendor: string; store: string; reason?: string };

const LEVELS: Record<ScrmEvent['type'], keyof Logger> = {
  request: 'debug',
  response: 'debug',
  retry: 'warn',
  'token-refresh': 'info',
  'throttle-wait': 'debug',
  'store-degraded': 'warn',
  'store-recovered': 'info',
};

export function logEvent(logger: Logger | undefined, event: ScrmEvent): void {
  if (!logger) return;
  const level = LEVELS[event.type];
  const { type, ...fields } = event;
  logger[level]({ event: type, ...fields }, `scrm ${event.vendor} ${type}`);
}
