import { describe, expect, it } from 'vitest';
import { createLarkLogger } from '../../../src/chat/lark/create-lark-logger.js';
import { captureLogs } from '../../support/chat-test-kit.js';

describe('createLarkLogger', () => {
  it('cuts secrets, tokens and the long connection ticket out of what the SDK logs', () => {
    const logs = captureLogs();
    const logger = createLarkLogger(logs.logger, ['app-secret-0123456789']);
    logger.error(['[ws]', 'app-secret-0123456789 t-g1044ab5ABCDEFGHIJKLMNOPQRSTUVWXYZ', new Error('failed at wss://msg-frontier.feishu.cn/ws/v2?device_id=1&access_key=k3y0&service_id=2&ticket=T1CKET-77')]);
    const text = logs.text();
    expect(text).toContain('device_id=1');
    expect(text).toContain('ticket=[redacted]');
    for (const secret of ['app-secret-0123456789', 't-g1044ab5', 'k3y0', 'T1CKET-77']) expect(text).not.toContain(secret);
  });
});
