// A refused callback limit says which option, which vendor, and what range it must be in, so that the operator who
// set `Number(process.env.X)` can fix it from the message alone.
import { describe, expect, it } from 'vitest';
import { ScrmConfigError } from '../errors.js';
import { createJsonCallbackReceiver } from './json.js';
import { resolveSignedCallbackOptions } from './request.js';

function message(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ScrmConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('messages of refused callback limits', () => {
  it('give the range: at least 0 for the timestamp window, above 0 for the others', () => {
    expect(message(() => resolveSignedCallbackOptions({ toleranceSeconds: -1 }, 'wecom'))).toBe(
      'wecom callback: option `toleranceSeconds` must be a finite number of at least 0',
    );
    expect(message(() => resolveSignedCallbackOptions({ maxBodyBytes: 0 }, 'weiling'))).toBe(
      'weiling callback: option `maxBodyBytes` must be a finite number above 0',
    );
    expect(message(() => resolveSignedCallbackOptions({ dedupeTtlSeconds: Number.NaN }, 'wecom'))).toBe(
      'wecom callback: option `dedupeTtlSeconds` must be a finite number above 0',
    );
  });

  it('name the vendor scrm when none is given', () => {
    expect(message(() => resolveSignedCallbackOptions({ maxBodyBytes: -1 }))).toMatch(/^scrm callback: option `maxBodyBytes`/);
  });

  it('name the option of a JSON receiver too', () => {
    const hooks = { vendor: 'juzibot', validators: {} };
    expect(message(() => createJsonCallbackReceiver({ maxBodyBytes: Number.NaN }, hooks))).toBe(
      'juzibot callback: option `maxBodyBytes` must be a finite number above 0',
    );
    expect(message(() => createJsonCallbackReceiver({ dedupeTtlSeconds: 0 }, hooks))).toBe(
      'juzibot callback: option `dedupeTtlSeconds` must be a finite number above 0',
    );
  });
});
