// A Node ES module project (module/moduleResolution nodenext): the packages' ES module build and its types. It also
// loads the CommonJS build of the same packages beside it, as a CommonJS dependency of an ESM app would, and checks
// that an error made by one build is still `instanceof` the other build's class (the dual-package hazard).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { isScrmError, ScrmApiError } from '@scrm-openapi/core';
import { startMockServer } from '@scrm-openapi/mock-server';
import { type AddContactWayRequest, createWecomClient, unwrap } from '@scrm-openapi/wecom';
import { createWecomCallback } from '@scrm-openapi/wecom/callback';
import profile from '@scrm-openapi/wecom-spec/profile.json' with { type: 'json' };
import { createWeilingClient } from '@scrm-openapi/weiling';

const require = createRequire(import.meta.url);
assert.match(import.meta.resolve('@scrm-openapi/wecom'), /\/dist\/index\.js$/);
assert.equal(typeof createWecomCallback, 'function');
assert.equal(profile.profile.vendor, 'wecom');

const sandbox = await startMockServer();
try {
  const wecom = createWecomClient({ ...sandbox.credentials.wecom, baseUrl: `${sandbox.url}/wecom` });
  const body: AddContactWayRequest = { type: 1, scene: 2, user: ['zhangsan'] };
  const { config_id } = unwrap(await wecom.POST('/cgi-bin/externalcontact/add_contact_way', { body }));
  assert.ok(config_id, 'add_contact_way returned a config_id');
  const { contact_way } = unwrap(await wecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id } }));
  assert.equal(contact_way?.config_id, config_id);

  const weiling = createWeilingClient({ ...sandbox.credentials.weiling, baseUrl: `${sandbox.url}/weiling` });
  const { error, response } = await weiling.GET('/openapi/department/list');
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(response.status, 200);

  // the CommonJS build, loaded beside the ES module build
  const cjs = require('@scrm-openapi/wecom') as typeof import('@scrm-openapi/wecom');
  assert.match(require.resolve('@scrm-openapi/wecom'), /\/dist\/cjs\/index\.js$/);
  const cjsWecom = cjs.createWecomClient({ ...sandbox.credentials.wecom, baseUrl: `${sandbox.url}/wecom` });
  const missing = await cjsWecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: 'no-such-id' } });
  assert.throws(
    () => cjs.unwrap(missing),
    (thrown: unknown) => {
      assert.ok(thrown instanceof ScrmApiError, 'an error of the CommonJS build is instanceof the ESM ScrmApiError');
      assert.ok(isScrmError(thrown));
      assert.notEqual(Object.getPrototypeOf(thrown), ScrmApiError.prototype, 'it really comes from the other build');
      return true;
    },
  );
  // and unwrap() of the ES module build finds the typed error on an envelope made by the CommonJS build
  assert.throws(() => unwrap(missing), ScrmApiError);
  console.log(`node-esm: wecom config_id ${config_id}, weiling department list HTTP ${response.status}`);
} finally {
  await sandbox.close();
}
