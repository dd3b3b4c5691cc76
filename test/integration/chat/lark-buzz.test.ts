import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLarkAdapter } from '../../../src/chat/lark/create-lark-adapter.js';
import { isWardenError } from '../../../src/errors/warden-error.js';
import { startFakeLarkApi, type FakeLarkApi } from '../../support/fake-lark-api.js';

const appId = 'cli_wardentest0001';
const appSecret = 'lark-app-secret-do-not-print-0123456789';
const urgentRoute = 'PATCH /open-apis/im/v1/messages/:message_id/urgent_app';

describe('the Lark adapter buzzes a card message (urgent_app)', () => {
  let api: FakeLarkApi;

  beforeEach(async () => {
    api = await startFakeLarkApi({ appId, appSecret });
  });

  afterEach(async () => {
    await api.close();
  });

  it('sends the Lark open_ids among the identities as user_id_list, by open_id, for the message the bot posted', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    const ref = await adapter.postCard('lark:oc_security', { title: 'Incident', accent: 'critical', summary: 'Incident', blocks: [] });
    await adapter.buzz!(ref, ['slack:U0BOB', 'lark:ou_0bob', 'lark:ou_0alice']);
    const [call] = api.callsTo(urgentRoute);
    expect(call).toMatchObject({ path: `/open-apis/im/v1/messages/${ref.id}/urgent_app`, query: { user_id_type: 'open_id' }, body: { user_id_list: ['ou_0bob', 'ou_0alice'] }, code: 0 });
  });

  it('calls nothing without a Lark identity, and refuses what is not a Lark message id', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    await adapter.buzz!({ destination: 'lark:oc_security', id: 'om_1' }, ['slack:U0BOB']);
    const refused = await adapter.buzz!({ destination: 'lark:oc_security', id: '../../auth' }, ['lark:ou_0bob']).catch((error: unknown) => error);
    expect(isWardenError(refused, 'chat_rejected')).toBe(true);
    expect(api.callsTo(urgentRoute)).toHaveLength(0);
  });

  it('passes on a refusal as chat_rejected (a message the bot did not send, or gone)', async () => {
    const adapter = createLarkAdapter({ appId, appSecret, domain: api.url });
    const refused = await adapter.buzz!({ destination: 'lark:oc_security', id: 'om_unknown' }, ['lark:ou_0bob']).catch((error: unknown) => error);
    expect(isWardenError(refused, 'chat_rejected')).toBe(true);
  });
});
