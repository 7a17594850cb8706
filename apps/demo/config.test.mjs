// Which credentials the demo's clients use: a vendor's own from the environment (names from its spec's x-scrm-auth)
// when every required one is set, else the sandbox's.
import { describe, expect, it } from 'vitest';
import { vendors } from '@scrm-openapi/vendors';
import { resolveConfig } from './server.mjs';

const sandbox = {
  url: 'http://127.0.0.1:4010',
  credentials: Object.fromEntries(vendors.map((v) => [v.name, { ...v.sandboxCredentials }])),
  callbacks: { wecom: { token: 't', encodingAESKey: 'k', receiveId: 'r' } },
};

describe('resolveConfig', () => {
  it('uses the sandbox for every vendor when nothing is set', () => {
    const config = resolveConfig({}, sandbox);
    expect(Object.keys(config.vendors).sort()).toEqual(vendors.map((v) => v.name).sort());
    for (const v of vendors)
      expect(config.vendors[v.name]).toEqual({
        mode: 'sandbox',
        options: { ...v.sandboxCredentials, baseUrl: `${sandbox.url}/${v.name}` },
      });
  });

  it('uses a vendor for real once its required credentials are set, with the optional ones that are', () => {
    const config = resolveConfig({ WECOM_CORP_ID: 'ww1', WECOM_CORP_SECRET: 's1', JUZIBOT_TOKEN: 't1', WEILING_APP_ID: 'a1' }, sandbox);
    expect(config.vendors.wecom).toEqual({ mode: 'vendor', options: { corpId: 'ww1', corpSecret: 's1' } });
    expect(config.vendors.juzibot).toEqual({ mode: 'vendor', options: { token: 't1' } });
    // half a token-endpoint pair is not enough
    expect(config.vendors.weiling.mode).toBe('sandbox');
  });

  it('leaves a vendor out when it is neither configured nor served by the sandbox', () => {
    const only = { ...sandbox, credentials: { wecom: sandbox.credentials.wecom } };
    expect(Object.keys(resolveConfig({ JUZIBOT_TOKEN: 't', JUZIBOT_GROUP_TOKEN: 'g' }, only).vendors).sort()).toEqual(['juzibot', 'wecom']);
    expect(resolveConfig({ JUZIBOT_TOKEN: 't', JUZIBOT_GROUP_TOKEN: 'g' }, only).vendors.juzibot.options).toEqual({
      token: 't',
      groupToken: 'g',
    });
  });
});
