// A bundled app (moduleResolution bundler, esbuild): the clients are bundled into dist/main.js; the sandbox, a
// development server, stays an external package.
import assert from 'node:assert/strict';
import { createJijyunClient } from '@scrm-openapi/jijyun';
import { startMockServer } from '@scrm-openapi/mock-server';
import { createWecomClient, ScrmApiError, unwrap } from '@scrm-openapi/wecom';

const sandbox = await startMockServer();
try {
  const wecom = createWecomClient({ ...sandbox.credentials.wecom, baseUrl: `${sandbox.url}/wecom` });
  const { config_id } = unwrap(
    await wecom.POST('/cgi-bin/externalcontact/add_contact_way', { body: { type: 1, scene: 2, user: ['zhangsan'] } }),
  );
  assert.ok(config_id, 'add_contact_way returned a config_id');
  const missing = await wecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: 'no-such-id' } });
  assert.throws(() => unwrap(missing), ScrmApiError);

  const jijyun = createJijyunClient({ ...sandbox.credentials.jijyun, baseUrl: `${sandbox.url}/jijyun` });
  const { error, response } = await jijyun.GET('/v1/openapi/configuration-link');
  assert.equal(error, undefined, JSON.stringify(error));
  assert.equal(response.status, 200);
  console.log(`esbuild: wecom config_id ${config_id}, jijyun configuration link HTTP ${response.status}`);
} finally {
  await sandbox.close();
}
