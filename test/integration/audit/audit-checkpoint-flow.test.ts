import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/audit/audit-log.js';
import { runCli } from '../../../src/cli/main.js';
import { createRedisKeys, type RedisKeys } from '../../../src/redis/redis-keys.js';
import { parseJsonObject, readBody, startFakeHttpServer, type FakeHttpServer } from '../../support/fake-http-server.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { connectTestRedis, deleteKeys, randomSecret, TEST_REDIS_URL } from '../../support/test-redis.js';

const AUDIT_KEY = randomSecret(48);
const STORE_TOKEN = randomSecret(32);
const CHANNEL = 'C0AUDITLOG';

/**
 * Audit checkpoints in a running Warden: taken by the maintenance job scheduler and on shutdown,
 * posted to a chat channel through the notify queue and to an external store, written to the audit
 * file through the chain, and the Redis stream trimmed behind them — and the trimmed log verifies.
 */
describe('audit checkpoints in a running Warden', () => {
  const redis = connectTestRedis();
  const stored: { authorization?: string; body: Record<string, unknown> }[] = [];
  let store: FakeHttpServer;
  let slack: FakeSlackApi;
  let t: TestWarden;
  let keys: RedisKeys;
  let dir: string;

  const fileEntries = async () =>
    (await readFile(t.config.audit.file, 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEntry);
  const headSeq = async () => Number(await redis.hget(keys.auditHead, 'seq'));
  const firstStreamSeq = async () => Number((await redis.xrange(keys.auditStream, '-', '+', 'COUNT', 1))[0]?.[0].split('-')[0]);
  const verify = async (args: string[] = []) => {
    const config = join(dir, 'warden.config.yaml');
    await writeFile(config, ['alertmanager:', '  token: ${WARDEN_WEBHOOK_TOKEN}', 'redis:', `  prefix: ${t.prefix}`, 'audit:', `  file: ${t.config.audit.file}`, '  hmacKey: ${WARDEN_AUDIT_KEY}', ''].join('\n'));
    let stdout = '';
    const env = { WARDEN_CONFIG: config, WARDEN_WEBHOOK_TOKEN: t.token, WARDEN_AUDIT_KEY: AUDIT_KEY, REDIS_URL: TEST_REDIS_URL };
    const code = await runCli(['audit-log', 'verify', ...args], { env, stdout: (text) => (stdout += text), stderr: (text) => (stdout += text) });
    return { code, stdout };
  };
  const checkpointJob = async () => {
    const job = await t.warden.queues.maintenance.add('checkpoint', { task: 'audit-checkpoint' });
    await expect.poll(async () => (await t.warden.queues.maintenance.getJobState(job.id!)), { timeout: 15_000 }).toBe('completed');
    return (await t.warden.queues.maintenance.getJob(job.id!))?.returnvalue as string;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-checkpoint-flow-'));
    store = await startFakeHttpServer(async (request, response) => {
      stored.push({ authorization: request.headers.authorization, body: parseJsonObject(await readBody(request)) });
      response.writeHead(201).end();
    });
    const botToken = `xoxb-${randomSecret(24)}`;
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'checkpoint-flow',
      tree: {
        slack: { signingSecret: randomSecret(32), botToken, apiUrl: slack.url },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
        audit: {
          hmacKey: AUDIT_KEY,
          checkpoint: { everyMinutes: 60, to: [`slack:${CHANNEL}`], url: `http://127.0.0.1:${store.port}/checkpoints`, headers: { Authorization: `Bearer ${STORE_TOKEN}` } },
        },
      },
    });
    keys = createRedisKeys(t.prefix);
  }, 30_000);

  afterAll(async () => {
    await deleteKeys(redis, t.prefix);
    redis.disconnect();
    await store.close();
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts a signed checkpoint to chat and to the store, writes it to the file and trims the stream behind it; the trimmed log verifies', async () => {
    // The scheduler's first run comes at once; let it finish before the test counts checkpoints.
    await expect.poll(async () => (await t.warden.queues.maintenance.getJobs(['completed'])).some((job) => job.name === 'checkpoint'), { timeout: 15_000 }).toBe(true);
    for (let i = 0; i < 20; i++) await t.warden.audit.append({ type: 'job.started', actor: 'warden', subject: `job-${i}` });
    const seq = await headSeq();
    const hash = (await redis.hget(keys.auditHead, 'hash'))!;
    // The file holds them all first (on a busy machine the exporter may lag): only then may the stream be trimmed.
    await expect
      .poll(
        async () => {
          const reported = Object.values(await redis.hgetall(keys.auditExporters)).map((v) => (JSON.parse(v) as { seq: number }).seq);
          return reported.length === 0 ? 0 : Math.min(...reported);
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(seq);
    expect(await checkpointJob()).toMatch(new RegExp(`^checkpoint at seq ${seq}; the stream starts at seq \\d+`));

    const posted = stored.find((s) => s.body.seq === seq);
    expect(posted).toEqual({ authorization: `Bearer ${STORE_TOKEN}`, body: { seq, hash, at: expect.any(String), mac: expect.any(String) } });
    const canonical = `{"at":"${String(posted!.body.at)}","hash":"${hash}","seq":${seq}}`;
    expect(posted!.body.mac).toBe(createHmac('sha256', AUDIT_KEY).update(canonical).digest('hex'));
    await slack.waitFor((calls) => calls.some((call) => call.method === 'chat.postMessage' && call.body.channel === CHANNEL && JSON.stringify(call.body).includes(`${seq}:${hash}`)), 10_000);

    // The checkpoint entry reaches the file (and the exporter says so); a second run (nothing new) trims the stream up to the checkpoint.
    await expect.poll(async () => (await fileEntries()).find((e) => e.type === 'audit.checkpoint' && (e.detail as { seq: number }).seq === seq)?.seq, { timeout: 10_000 }).toBe(seq + 1);
    await expect.poll(async () => Object.values(await redis.hgetall(keys.auditExporters)).map((v) => (JSON.parse(v) as { seq: number }).seq), { timeout: 10_000 }).toEqual([seq + 1]);
    expect(await checkpointJob()).toMatch(new RegExp(`^nothing appended since the checkpoint at seq ${seq}; the stream starts at seq ${seq} `));
    expect(await firstStreamSeq()).toBe(seq);
    expect(await redis.xlen(keys.auditStream)).toBe(2);

    // The exporter writes on after the trim, and the whole log verifies: the file from seq 1, Redis from the checkpoint on.
    await t.warden.audit.append({ type: 'job.started', actor: 'warden', subject: 'after the trim' });
    await expect.poll(async () => (await fileEntries()).length, { timeout: 10_000 }).toBe(await headSeq());
    expect((await fileEntries()).map((e) => e.seq)).toEqual(Array.from({ length: seq + 2 }, (_, i) => i + 1));
    const ok = await verify();
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`ok: ${seq + 2} entries, chain intact (last seq ${seq + 2})`);
    expect(ok.stdout).toContain(`last checkpoint: seq ${seq} (`);
    expect(ok.stdout).toContain(`note: Redis holds the chain from seq ${seq} on; seq 1–${seq - 1} were trimmed after a checkpoint`);
    expect((await verify(['--checkpoint', `${seq}:${hash}`])).code).toBe(0);
    // The store's copy makes a rollback of both visible: here, the file cut back before it.
    const entries = await readFile(t.config.audit.file, 'utf8');
    await writeFile(join(dir, 'cut.jsonl'), `${entries.split('\n').slice(0, seq - 1).join('\n')}\n`);
    expect((await verify(['--offline', '--file', join(dir, 'cut.jsonl'), '--checkpoint', `${seq}:${hash}`])).code).toBe(1);
  });

  it('takes a checkpoint when it stops, after its last entries, and the file holds it', async () => {
    await t.warden.audit.append({ type: 'job.started', actor: 'warden', subject: 'last words' });
    const seq = await headSeq();
    await t.stop();
    expect(Number(await redis.hget(keys.auditCheckpoint, 'seq'))).toBe(seq);
    expect(await redis.hget(keys.auditCheckpoint, 'posted')).toBe('1');
    expect(stored.find((s) => s.body.seq === seq)).toBeDefined();
    const last = (await fileEntries()).at(-1)!;
    expect(last).toMatchObject({ seq: seq + 1, type: 'audit.checkpoint', detail: { seq, reason: 'shutdown' } });
    expect(await firstStreamSeq()).toBeGreaterThan(1);
    expect((await verify()).code).toBe(0);
    // Nothing secret went to the store, the chat or the logs.
    expect(JSON.stringify(stored)).not.toContain(AUDIT_KEY);
    expect(JSON.stringify(slack.calls)).not.toContain(AUDIT_KEY);
    expect(t.rawLogs()).not.toContain(AUDIT_KEY);
    expect(t.rawLogs()).not.toContain(STORE_TOKEN);
  });
});
