import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeEscalation } from '../../../src/escalation/resume-escalation.js';
import { stopEscalation } from '../../../src/escalation/stop-escalation.js';
import { createJobWork } from '../../../src/jobs/create-job-work.js';
import { textRef } from '../../../src/shared/messages/text-ref.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api.js';
import { openSlackIncident } from '../../support/open-slack-incident.js';
import { createRecordingAuditLog } from '../../support/recording-audit-log.js';
import { startTestWarden, type TestWarden } from '../../support/start-test-warden.js';
import { randomSecret } from '../../support/test-redis.js';

// One configured minute lasts this long here: step 1 one minute after the chain starts (2 s), step 2 after six (12 s).
const MINUTE_MS = 2000;

/**
 * A silence stops an incident's escalation; when it ends with nobody having acknowledged the
 * incident, escalation resumes as a new chain timed from then: step 1 pages the on-call person
 * again (once), and the first chain's points that were still waiting end without paging anyone.
 * Real Redis and BullMQ workers, the fake Slack API on loopback.
 */
describe('escalation resumed after the silence that stopped it', () => {
  const botToken = `xoxb-${randomSecret(24)}`;
  const audit = createRecordingAuditLog();
  let slack: FakeSlackApi;
  let t: TestWarden;

  beforeAll(async () => {
    slack = await startFakeSlackApi({ botToken });
    t = await startTestWarden({
      name: 'escalation-resume',
      audit,
      escalationMinuteMs: MINUTE_MS,
      tree: {
        slack: { signingSecret: randomSecret(32), botToken, apiUrl: slack.url },
        routes: [{ to: ['slack:C0RESUME'] }],
        access: { people: { alice: ['slack:U0ALICE'], bob: ['slack:U0BOB'] }, groups: { leads: ['bob'] }, permissions: { 'incident.respond': ['leads'] } },
        escalation: { policies: { default: { steps: [{ afterMinutes: 1, notify: ['alice'] }, { afterMinutes: 6, notify: ['leads'] }] } }, default: 'default' },
        limits: { outbound: { slackPerChannelPerSecond: 50 } },
      },
    });
  }, 30_000);

  afterAll(async () => {
    await t?.dispose();
    await slack?.close();
  });

  const mentions = (id: string) => slack.messages('C0RESUME').filter((m) => JSON.stringify(m).includes(`<@${id}>`)).length;

  it('pages step 1 again from when the silence ended, once, and the first chain\'s waiting step ends without paging', async () => {
    const { key } = await openSlackIncident(t, slack, 'C0RESUME', 'ResumeAfterSilence');
    const deps = { store: t.warden.store, work: createJobWork(t.warden.queues), audit: t.warden.audit, now: Date.now };
    const job = (id: string) => t.warden.queues.escalation.getJob(`escalation.${key}.${id}`);
    // Step 1 of the first chain pages alice; its step 2 waits.
    await expect.poll(() => mentions('U0ALICE'), { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await job('s1.r0'))?.isDelayed(), { timeout: 10_000 }).toBe(true);

    // A silence stops it, and ends at once: nobody acknowledged the incident.
    expect(await stopEscalation(deps, key, textRef('card.escalation.stop.silenced', { until: 'later', by: 'bob' }), 'slack:U0BOB', 'silence-1')).toBe(true);
    const resumedAt = Date.now();
    expect(await resumeEscalation(deps, key, 'silence silence-1 expired: it ran out', 'warden')).toBe(true);
    // Once: a second end (a retried job) resumes nothing more.
    expect(await resumeEscalation(deps, key, 'silence silence-1 expired: it ran out', 'warden')).toBe(false);
    const incident = (await t.warden.store.get(key))!;
    expect(incident.escalationStopped).toBeUndefined();
    expect(incident.escalationFrom).toBeGreaterThanOrEqual(resumedAt);
    const chain = `f${incident.escalationFrom}`;

    // The new chain's step 1, a minute after the resumption, pages alice again.
    await expect.poll(() => mentions('U0ALICE'), { timeout: 15_000 }).toBe(2);
    const step1 = (await job(`${chain}.s0.r0`))!;
    expect(step1.processedOn! - incident.escalationFrom!).toBeGreaterThanOrEqual(MINUTE_MS - 50);
    expect(step1.returnvalue).toMatch(/^step 1 repeat 0 to 1 identities; next: step 2/);
    // The first chain's step 2 fires at its time and ends: it is not the chain in force.
    await expect.poll(async () => (await job('s1.r0'))?.returnvalue, { timeout: 20_000 }).toBe('escalation restarted since this point was scheduled: it belongs to an earlier chain');
    expect(mentions('U0BOB')).toBe(0);
    // The new chain's step 2 pages the leads, once.
    await expect.poll(() => mentions('U0BOB'), { timeout: 20_000 }).toBe(1);
    expect((await job(`${chain}.s1.r0`))!.processedOn! - incident.escalationFrom!).toBeGreaterThanOrEqual(6 * MINUTE_MS - 50);

    const timeline = (await t.warden.store.timeline(key)).filter((e) => e.kind === 'escalation').map((e) => e.text);
    expect(timeline).toEqual([
      expect.stringMatching(/^Escalated to alice: step 1, not acknowledged 1 min after it opened$/),
      expect.stringMatching(/^Escalation stopped: silenced/),
      'Escalation resumed: silence silence-1 expired: it ran out',
      expect.stringMatching(/^Escalated to alice: step 1, not acknowledged 1 min after its escalation started$/),
      expect.stringMatching(/^Escalated to leads \(bob\): step 2, not acknowledged 6 min after its escalation started$/),
    ]);
    await expect
      .poll(() => audit.entries.filter((e) => e.subject === key && e.type.startsWith('incident.escalat')).map((e) => e.type), { timeout: 10_000 })
      .toEqual(['incident.escalated', 'incident.escalation_stopped', 'incident.escalation_resumed', 'incident.escalated', 'incident.escalated']);
  }, 60_000);

  it('resumes nothing for an acknowledged incident, nor for a stop that no silence made', async () => {
    const { key } = await openSlackIncident(t, slack, 'C0RESUME', 'ResumeAcknowledged');
    const deps = { store: t.warden.store, work: createJobWork(t.warden.queues), audit: t.warden.audit, now: Date.now };
    await stopEscalation(deps, key, textRef('card.escalation.stop.silenced', { until: 'later', by: 'bob' }), 'slack:U0BOB', 'silence-2');
    await t.warden.store.patch(key, { set: { acknowledgedBy: 'slack:U0BOB' } }, Date.now());
    expect(await resumeEscalation(deps, key, 'silence silence-2 expired: it ran out', 'warden')).toBe(false);
    expect((await t.warden.store.get(key))!.escalationStopped).toMatchObject({ silenceId: 'silence-2' });

    const other = await openSlackIncident(t, slack, 'C0RESUME', 'ResumeOtherStop');
    await t.warden.store.patch(other.key, { set: { escalationStopped: { at: Date.now(), reason: 'stopped by hand' } } }, Date.now());
    expect(await resumeEscalation(deps, other.key, 'a silence ended', 'warden')).toBe(false);
  }, 30_000);
});
