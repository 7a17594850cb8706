// What reaches a pino-style logger for each client event: the level operators filter on, the message, the fields.
import { describe, expect, it } from 'vitest';
import { logEvent, type Logger, type ScrmEvent } from './logger.js';

function recordingLogger() {
  const lines: { level: keyof Logger; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const at = (level: keyof Logger) => (obj: Record<string, unknown>, msg?: string) => void lines.push({ level, obj, msg });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

const common = { vendor: 'wecom', operation: 'getUser', method: 'GET', path: '/cgi-bin/user/get', attempt: 1 };
const events: [ScrmEvent, keyof Logger][] = [
  [{ type: 'request', ...common }, 'debug'],
  [{ type: 'response', ...common, status: 200, code: 0, durationMs: 12 }, 'debug'],
  [{ type: 'retry', ...common, reason: 'http-503', delayMs: 250 }, 'warn'],
  [{ type: 'token-refresh', vendor: 'wecom', reason: 'expiring', durationMs: 30, ok: true }, 'info'],
  [{ type: 'throttle-wait', ...common, waitMs: 100 }, 'debug'],
  [{ type: 'store-degraded', vendor: 'wecom', store: 'redis', reason: 'ECONNREFUSED' }, 'warn'],
  [{ type: 'store-recovered', vendor: 'wecom', store: 'redis' }, 'info'],
];

describe('logEvent', () => {
  it.each(events)('logs %o at level %s, once, with its fields and a readable message', (event, level) => {
    const { logger, lines } = recordingLogger();
    logEvent(logger, event);
    expect(lines).toHaveLength(1);
    const { type, ...fields } = event;
    expect(lines[0]).toEqual({ level, obj: { event: type, ...fields }, msg: `scrm wecom ${type}` });
    expect(lines[0]!.obj).not.toHaveProperty('type');
  });

  it('does nothing without a logger', () => {
    expect(() => logEvent(undefined, events[0]![0])).not.toThrow();
  });
});
