// A NestJS-style service in a CommonJS project: NestJS's default tsconfig (module commonjs, moduleResolution node)
// compiles these imports to require(), which must find the packages' CommonJS build and its types.
import { isScrmError, ScrmApiError } from '@scrm-openapi/core';
import { createJuzibotClient } from '@scrm-openapi/juzibot';
import { startMockServer } from '@scrm-openapi/mock-server';
import { type AddContactWayRequest, createWecomClient, unwrap } from '@scrm-openapi/wecom';
import { createWecomCallback } from '@scrm-openapi/wecom/callback';
import { strict as assert } from 'node:assert';

// @Injectable() without depending on @nestjs/common: a class decorator is all this check needs.
function Injectable(): ClassDecorator {
  return () => undefined;
}

type WecomOptions = Parameters<typeof createWecomClient>[0];

@Injectable()
class ContactWayService {
  private readonly wecom: ReturnType<typeof createWecomClient>;

  constructor(options: WecomOptions) {
    this.wecom = createWecomClient(options);
  }

  async create(body: AddContactWayRequest): Promise<string> {
    const { config_id } = unwrap(await this.wecom.POST('/cgi-bin/externalcontact/add_contact_way', { body }));
    if (!config_id) throw new Error('add_contact_way answered without a config_id');
    return config_id;
  }

  async exists(configId: string): Promise<boolean> {
    try {
      unwrap(await this.wecom.POST('/cgi-bin/externalcontact/get_contact_way', { body: { config_id: configId } }));
      return true;
    } catch (error) {
      if (error instanceof ScrmApiError) return false;
      throw error;
    }
  }
}

async function main(): Promise<void> {
  // the CommonJS build, not require() of the ES module build
  assert.match(require.resolve('@scrm-openapi/wecom'), /[\\/]dist[\\/]cjs[\\/]index\.js$/);
  assert.match(require.resolve('@scrm-openapi/wecom/callback'), /[\\/]dist[\\/]cjs[\\/]callback\.js$/);
  assert.equal(typeof createWecomCallback, 'function');
  // the JSON exports of the spec packages
  const profile = require('@scrm-openapi/wecom-spec/profile.json') as { profile: { vendor: string } };
  assert.equal(profile.profile.vendor, 'wecom');

  const sandbox = await startMockServer();
  try {
    const service = new ContactWayService({ ...sandbox.credentials.wecom, baseUrl: `${sandbox.url}/wecom` });
    const configId = await service.create({ type: 1, scene: 2, user: ['zhangsan'] });
    assert.ok(configId, 'add_contact_way returned a config_id');
    assert.equal(await service.exists(configId), true);
    assert.equal(await service.exists('no-such-config-id'), false);

    const juzibot = createJuzibotClient({ ...sandbox.credentials.juzibot, baseUrl: `${sandbox.url}/juzibot` });
    const { error, response } = await juzibot.GET('/api/v1/channel/list');
    assert.equal(error, undefined, JSON.stringify(error));
    assert.equal(response.status, 200);
    assert.equal(isScrmError(new Error('not ours')), false);
    console.log(`nest-cjs: wecom config_id ${configId}, juzibot channel list HTTP ${response.status}`);
  } finally {
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
