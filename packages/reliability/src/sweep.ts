// The secret sweep: everything an error or a log line exposes, checked for credential values.
import { inspect } from 'node:util';
import type { Logger, ScrmEvent } from '@scrm-openapi/core';

export class SecretSweep {
  readonly #secrets = new Set<string>();
  readonly texts: string[] = [];

  /** Registers credential values (and tokens as they are issued) that must never appear anywhere. */
  add(...values: (string | undefined)[]): void {
    for (const v of values) if (v && v.length >= 6) this.#secrets.add(v);
  }

  /** Records everything an error exposes: message, stack, enumerable properties (deep) and the inspected form. */
  error(error: unknown): void {
    const parts = [String(error)];
    if (error instanceof Error) parts.push(error.message, error.stack ?? '');
    parts.push(JSON.stringify(error) ?? '', inspect(error, { depth: 8, showHidden: true }));
    this.texts.push(parts.join('\n'));
  }

  /** A logger and an event hook that record every line. */
  logger(): Logger {
    const log = (obj: Record<string, unknown>, msg?: string) => this.texts.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
    return { debug: log, info: log, warn: log, error: log };
  }

  onEvent = (event: ScrmEvent): void => {
    this.texts.push(JSON.stringify(event));
  };

  /** The secrets found in what was recorded (empty when clean). */
  leaks(): string[] {
    const all = this.texts.join('\n');
    return [...this.#secrets].filter((s) => all.includes(s) || all.includes(encodeURIComponent(s)));
  }
}
