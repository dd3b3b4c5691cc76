import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../../../src/probes/check-context.js';
import { probeSpecSchema, type ProbeSpec, type ProbeSpecOf } from '../../../src/probes/probe-spec-schema.js';
import { runCheck } from '../../../src/probes/run-check.js';
import { runProcessUserProbe } from '../../../src/probes/run-process-user-probe.js';

const spec = (fields: Record<string, unknown>): ProbeSpec => probeSpecSchema.parse(fields);
const userSpec = (fields: Record<string, unknown> = {}) => probeSpecSchema.parse({ kind: 'process-user', ...fields }) as ProbeSpecOf<'process-user'>;
const fixedClock = (start = 1_800_000_000_000) => {
  let t = start;
  return () => (t += 7);
};

describe('runCheck', () => {
  it('labels the result with the item id and title and times it with the context clock', async () => {
    const result = await runCheck('self-audit', 'Self-audit passes', spec({ kind: 'self-audit' }), {
      now: fixedClock(),
      selfAudit: async () => ({ total: 17, failed: 0, failing: [] }),
    });
    expect(result).toMatchObject({ actionId: 'self-audit', title: 'Self-audit passes', ok: true, summary: 'all 17 checks pass', durationMs: 7 });
    expect(result.at).toBeGreaterThan(1_800_000_000_000);
  });

  it('lists the failing self-audit checks, the first five', async () => {
    const failing = ['redis-eviction-policy', 'config-file-mode', 'a', 'b', 'c', 'd', 'e'];
    const result = await runCheck('s', 'S', spec({ kind: 'self-audit' }), { selfAudit: async () => ({ total: 17, failed: 7, failing }) });
    expect(result.ok).toBe(false);
    expect(result.summary).toBe('7 of 17 checks fail: redis-eviction-policy, config-file-mode, a, b, c, +2 more');
  });

  it.each<[string, ProbeSpec, CheckContext, string]>([
    ['the self-audit', spec({ kind: 'self-audit' }), {}, 'not checked: the self-audit is not available here'],
    ['Redis for redis-config', spec({ kind: 'redis-config' }), {}, 'not checked: no Redis connection here'],
    ['Redis for audit-count', spec({ kind: 'audit-count', types: ['access.denied'] }), {}, 'not checked: no Redis connection here'],
  ])('says "not checked" when the context lacks %s', async (_what, probe, context, summary) => {
    const result = await runCheck('x', 'X', probe, context);
    expect(result).toMatchObject({ ok: false, summary });
  });

  it('reports a self-audit that throws, without passing', async () => {
    const result = await runCheck('s', 'S', spec({ kind: 'self-audit' }), {
      selfAudit: async () => {
        throw new Error('config file\nunreadable');
      },
    });
    expect(result).toMatchObject({ ok: false, summary: 'not checked: the self-audit failed: config file unreadable' });
  });

  it('gives up on a probe that never answers after timeoutSeconds', async () => {
    const started = Date.now();
    const result = await runCheck('s', 'S', spec({ kind: 'self-audit', timeoutSeconds: 0.2 }), { selfAudit: () => new Promise(() => {}) });
    expect(result).toMatchObject({ ok: false, summary: 'timed out after 0.2 s' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('turns an unexpected error into a failed result instead of throwing', async () => {
    const result = await runCheck('p', 'P', spec({ kind: 'process-user' }), {
      getuid: () => {
        throw new Error('boom');
      },
    });
    expect(result).toMatchObject({ ok: false, summary: 'failed unexpectedly: boom' });
  });
});

describe('runProcessUserProbe', () => {
  const account = (username: string, uid: number) => () => ({ username, uid });

  it('fails as root', async () => {
    const result = await runProcessUserProbe(userSpec(), { getuid: () => 0, userInfo: account('root', 0) });
    expect(result).toMatchObject({ actionId: 'process-user', ok: false, summary: 'running as root (uid 0); run Warden as an unprivileged user' });
  });

  it('passes as an unprivileged user, naming it', async () => {
    const result = await runProcessUserProbe(userSpec(), { getuid: () => 1001, userInfo: account('warden', 1001) });
    expect(result).toMatchObject({ ok: true, summary: 'running as uid 1001 (warden)' });
  });

  it('allows root when forbidRoot is false', async () => {
    const result = await runProcessUserProbe(userSpec({ forbidRoot: false }), { getuid: () => 0, userInfo: account('root', 0) });
    expect(result).toMatchObject({ ok: true, summary: 'running as uid 0 (root)' });
  });

  it('fails as another user than the one expected, by name or uid', async () => {
    const byName = await runProcessUserProbe(userSpec({ user: 'warden' }), { getuid: () => 1000, userInfo: account('deploy', 1000) });
    expect(byName).toMatchObject({ ok: false, summary: 'running as uid 1000 (deploy), expected warden' });
    const byUid = await runProcessUserProbe(userSpec({ user: 1001 }), { getuid: () => 1000, userInfo: account('deploy', 1000) });
    expect(byUid).toMatchObject({ ok: false, summary: 'running as uid 1000 (deploy), expected uid 1001' });
    const match = await runProcessUserProbe(userSpec({ user: '1000' }), { getuid: () => 1000, userInfo: account('deploy', 1000) });
    expect(match.ok).toBe(true);
  });

  it('shows a uid without a passwd entry as a bare uid and never matches it by name', async () => {
    const result = await runProcessUserProbe(userSpec({ user: 'warden' }), {
      getuid: () => 4242,
      userInfo: () => {
        throw new Error('ENOENT: no such file or directory, uv_os_get_passwd');
      },
    });
    expect(result).toMatchObject({ ok: false, summary: 'running as uid 4242, expected warden' });
  });
});
