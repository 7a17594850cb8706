// The secret sweep: everything an error or a log line exposes, checked for credential values.
import type { Logger, ScrmEvent } from '@scrm-openapi/core';
import { captureLogger, everythingIn } from '@scrm-openapi/core/testing';

export class SecretSweep {
  readonly #secrets = new Set<string>();
  readonly texts: string[] = [];

  /** Registers credential values (and tokens as they are issued) that must never appear anywhere. */
  add(...values: (string | undefined)[]): void {
    for (const v of values) if (v && v.length >= 6) this.#secrets.add(v);
  }

  /** Records everything an error exposes: message, stack, enumerable properties (deep) and the inspected form. */
  error(error: unknown): void {
    this.texts.push(everythingIn(error));
  }

  /** A logger and an event hook that record every line. */
  logger(): Logger {
    return captureLogger(this.texts);
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
