/**
 * Redaction of credentials. Two nets: by parameter name (`access_token=…` in a URL or `"corpsecret":"…"` in a
 * JSON-ish string) and by value (every secret and token this client has seen, wherever it appears).
 */

export const REDACTED = '[REDACTED]';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How many recent token values are remembered for value-based redaction (credentials are always kept). */
const MAX_REMEMBERED = 64;

export class Redactor {
  readonly #names: readonly string[];
  readonly #nameRe: RegExp | undefined;
  readonly #jsonRe: RegExp | undefined;
  readonly #credentials = new Set<string>();
  readonly #tokens = new Set<string>();
  #valueRe: RegExp | undefined;

  constructor(secretParamNames: readonly string[]) {
    this.#names = [...new Set(secretParamNames.map((n) => n.toLowerCase()))];
    if (this.#names.length > 0) {
      const alt = this.#names.map(escapeRegExp).join('|');
      // name=value in URLs, query strings and form bodies
      this.#nameRe = new RegExp(`((?:^|[?&\\s;,])(?:${alt})=)[^&#\\s"',;]*`, 'gi');
      // "name": "value" in JSON-ish text
      this.#jsonRe = new RegExp(`("(?:${alt})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
    }
  }

  /** Remember a long-lived secret (a credential) so that it is redacted wherever it appears. */
  addCredential(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < 4 || this.#credentials.has(value)) return;
    this.#credentials.add(value);
    this.#valueRe = undefined;
  }

  /** Remember a short-lived secret (a token); only the most recent ones are kept. */
  addToken(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < 4 || this.#tokens.has(value)) return;
    this.#tokens.add(value);
    if (this.#tokens.size > MAX_REMEMBERED) {
      const oldest = this.#tokens.values().next();
      if (!oldest.done) this.#tokens.delete(oldest.value);
    }
    this.#valueRe = undefined;
  }

  isSecretParam(name: string): boolean {
    return this.#names.includes(name.toLowerCase());
  }

  /** Redacts every known secret from a string. */
  text(input: string): string {
    let out = input;
    if (this.#credentials.size + this.#tokens.size > 0) {
      this.#valueRe ??= new RegExp(
        [...this.#credentials, ...this.#tokens]
          .sort((a, b) => b.length - a.length)
          .flatMap((v) => [escapeRegExp(v), escapeRegExp(encodeURIComponent(v))])
          .join('|'),
        'g',
      );
      out = out.replace(this.#valueRe, REDACTED);
    }
    if (this.#nameRe) out = out.replace(this.#nameRe, `$1${REDACTED}`);
    if (this.#jsonRe) out = out.replace(this.#jsonRe, `$1"${REDACTED}"`);
    return out;
  }

  /** A URL with every secret query parameter replaced, as a string. */
  url(input: string | URL): string {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      return this.text(String(input));
    }
    for (const key of [...url.searchParams.keys()]) {
      if (this.isSecretParam(key)) url.searchParams.set(key, REDACTED);
    }
    return this.text(url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
  }

  /** A deep copy of a log/error value with secrets removed (by key name and by value). */
  value(input: unknown, depth = 0): unknown {
    if (typeof input === 'string') return this.text(input);
    if (input === null || typeof input !== 'object') return input;
    if (depth > 6) return '[Object]';
    if (input instanceof Error) {
      return { name: input.name, message: this.text(input.message) };
    }
    if (Array.isArray(input)) return input.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input)) {
      out[k] = this.isSecretParam(k) ? REDACTED : this.value(v, depth + 1);
    }
    return out;
  }
}
