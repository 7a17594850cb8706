// The options of WxBizMsgCrypt are checked when it is built, each with its own message. Every receiver here is built
// inside its test (none at import), so a check that wrongly throws fails the test that builds it.
import { describe, expect, it } from 'vitest';
import { ScrmConfigError } from '../errors.js';
import { WxBizMsgCrypt } from './wxbiz.js';

const OFFICIAL = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const ECHO = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';

describe('options', () => {
  const configError = (options: Record<string, unknown>) => {
    try {
      new WxBizMsgCrypt(options as never);
    } catch (e) {
      expect(e).toBeInstanceOf(ScrmConfigError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('requires a token', () => {
    expect(configError({ ...OFFICIAL, token: '' })).toBe('wecom callback: option `token` is required');
    expect(configError({ ...OFFICIAL, token: undefined, vendor: 'weiling' })).toBe('weiling callback: option `token` is required');
  });

  it.each([
    ['42 characters', OFFICIAL.encodingAESKey.slice(1)],
    ['44 characters', `${OFFICIAL.encodingAESKey}A`],
    ['43 characters and a trailing one', `${OFFICIAL.encodingAESKey}=`],
    ['a leading extra character', `A${OFFICIAL.encodingAESKey}`],
    ['a URL-safe character', `-${OFFICIAL.encodingAESKey.slice(1)}`],
    ['no value', undefined],
  ])('refuses an EncodingAESKey of %s', (_name, encodingAESKey) => {
    expect(configError({ ...OFFICIAL, encodingAESKey })).toBe('wecom callback: option `encodingAESKey` must be 43 Base64 characters');
  });

  it('requires the receive id to be a string, and accepts an empty one', () => {
    expect(configError({ ...OFFICIAL, receiveId: undefined })).toBe(
      "wecom callback: option `receiveId` must be a string (the corpid, or '')",
    );
    expect(() => new WxBizMsgCrypt({ ...OFFICIAL, receiveId: '' })).not.toThrow();
  });
});

describe('valid options', () => {
  it('build a receiver that reads the official sample', () => {
    const crypt = new WxBizMsgCrypt(OFFICIAL);
    expect(crypt.decrypt(ECHO)).toBe('1616140317555161061');
    expect(new WxBizMsgCrypt({ ...OFFICIAL, vendor: 'weiling' }).decrypt(ECHO)).toBe('1616140317555161061');
  });

  it('take a receive id in UTF-8', () => {
    const crypt = new WxBizMsgCrypt({ ...OFFICIAL, receiveId: '企业' });
    expect(crypt.decrypt(crypt.encrypt('hi'))).toBe('hi');
  });
});
